from django.urls import path

from routing import views
from routing.models import RoutingRule

app_name = "routing"

urlpatterns = [
    path("routing/check/", views.routing_check, name="check"),
    path("routing/sent/<uuid:public_id>/", views.deflection_forwarded, name="forwarded"),
    path("requests/mass-email/", views.request_form, {"kind": RoutingRule.RequestForm.MASS_EMAIL}, name="mass_email"),
    path("requests/media/", views.request_form, {"kind": RoutingRule.RequestForm.MEDIA}, name="media"),
    path("requests/quote/", views.request_form, {"kind": RoutingRule.RequestForm.QUOTE}, name="quote"),
    path("requests/sent/<uuid:public_id>/", views.request_sent, name="request_sent"),
    path("requests/files/<str:token>/", views.request_file, name="request_file"),
]
