from django.urls import path

from tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.home, name="home"),
    path("policy/", views.policy, name="policy"),
    path("tickets/new/", views.ticket_submit, name="submit"),
    path("tickets/submitted/<uuid:public_id>/", views.ticket_submitted, name="submitted"),
]
