from django.urls import path

from cicnet.audit import views

urlpatterns = [path("audit/", views.audit_log, name="audit-log")]
