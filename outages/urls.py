from django.urls import path

from outages import views

app_name = "outages"

urlpatterns = [
    path("outages/", views.outage_list, name="list"),
    path("outages/reports/", views.outage_reports, name="reports"),
    path("outages/declare/", views.outage_declare_view, name="declare"),
    path("outages/<uuid:public_id>/", views.outage_detail, name="detail"),
    path("outages/<uuid:public_id>/update/", views.outage_update_view, name="update"),
    path("outages/<uuid:public_id>/link/", views.outage_link_view, name="link"),
    path("outages/<uuid:public_id>/resolve/", views.outage_resolve_view, name="resolve"),
    path("outages/<uuid:public_id>/affected/", views.outage_affected, name="affected"),
    path("outages/affected/<str:token>/", views.outage_affected_by_email, name="affected_by_email"),
    path("outages/possible/<int:detection_id>/dismiss/", views.possible_outage_dismiss_view, name="dismiss"),
    path("outages/ticket/<int:number>/", views.outage_for_ticket_view, name="for_ticket"),
]
