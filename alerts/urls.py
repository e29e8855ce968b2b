from django.urls import path

from alerts import views

app_name = "alerts"
urlpatterns = [
    path("alerts/my/", views.my_notifications, name="my_notifications"),
    path("alerts/targets/", views.targets_report, name="targets"),
]
