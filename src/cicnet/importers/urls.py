from django.urls import path

from cicnet.importers import views

urlpatterns = [path("curation/import/", views.import_page, name="curation-import")]
