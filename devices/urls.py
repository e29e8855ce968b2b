from django.urls import path

from devices import views

app_name = "devices"

urlpatterns = [
    path("devices/lookup/", views.device_lookup, name="lookup"),
]
