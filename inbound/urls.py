from django.urls import path

from inbound import views

app_name = "inbound"

# Under queue/ beside the ticket pages, at the addresses they had when they lived in the tickets app.
urlpatterns = [
    path("queue/<int:number>/emails/<int:original_id>/", views.original_email_download, name="original_email"),
    path("queue/held-email/", views.held_email_list_view, name="held_email_list"),
    path("queue/held-email/<int:held_email_id>/accept/", views.held_email_accept_view, name="held_email_accept"),
    path("queue/held-email/<int:held_email_id>/discard/", views.held_email_discard_view, name="held_email_discard"),
    path("queue/held-email/<int:held_email_id>/email/", views.held_email_download, name="held_email_download"),
]
