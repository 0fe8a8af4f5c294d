from django.urls import path

from cicnet.alerts import views
from cicnet.alerts.feeds import AlertFeed

urlpatterns = [
    path("", views.alert_list, name="alerts"),
    path("new/", views.alert_create, name="alert-create"),
    path("<int:pk>/", views.alert_change, name="alert-change"),
    path("feeds/search/", views.public_feed, name="search-feed"),
    path("feeds/<str:token>/", AlertFeed(), name="alert-feed"),
    path("unsubscribe/<str:token>/", views.alert_unsubscribe, name="alert-unsubscribe"),
]
