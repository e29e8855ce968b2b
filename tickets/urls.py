from django.urls import path

from tickets import views, views_held, views_requester, views_workspace

app_name = "tickets"

urlpatterns = [
    path("", views.home, name="home"),
    path("policy/", views.policy, name="policy"),
    path("tickets/new/", views.ticket_submit, name="submit"),
    path("tickets/submitted/<uuid:public_id>/", views.ticket_submitted, name="submitted"),
    path("tickets/added/<uuid:public_id>/", views.ticket_added, name="added"),
    path("tickets/reopen/<str:token>/", views.ticket_reopen_view, name="reopen"),
    path("tickets/feedback/<str:token>/<str:answer>/", views.ticket_feedback_view, name="feedback"),
    path("my/", views_requester.my_tickets, name="my_tickets"),
    path("my/sign-in/<str:token>/", views_requester.my_sign_in, name="my_sign_in"),
    path("my/link/<str:token>/", views_requester.my_ticket_link, name="my_ticket_link"),
    path("my/tickets/<uuid:public_id>/", views_requester.my_ticket, name="my_ticket"),
    path("my/sign-out/", views_requester.my_sign_out, name="my_sign_out"),
    path("queue/", views_workspace.queue, name="queue"),
    path("queue/export.csv", views_workspace.queue_export, name="queue_export"),
    path("queue/bulk/", views_workspace.queue_bulk, name="queue_bulk"),
    path("queue/<int:number>/", views_workspace.ticket_detail, name="detail"),
    path("queue/<int:number>/reply/", views_workspace.ticket_reply_view, name="reply"),
    path("queue/<int:number>/note/", views_workspace.ticket_note_view, name="note"),
    path("queue/<int:number>/update/", views_workspace.ticket_update_view, name="update"),
    path("queue/<int:number>/take/", views_workspace.ticket_take_view, name="take"),
    path("queue/<int:number>/close/", views_workspace.ticket_close_view, name="close"),
    path("queue/<int:number>/merge/", views_workspace.ticket_merge_view, name="merge"),
    path("queue/<int:number>/reopen/", views_workspace.ticket_reopen_by_technician, name="reopen_by_technician"),
    path(
        "queue/<int:number>/attachments/<int:attachment_id>/",
        views_workspace.attachment_download,
        name="attachment",
    ),
    path("queue/<int:number>/emails/<int:original_id>/", views_held.original_email_download, name="original_email"),
    path("queue/held-email/", views_held.held_email_list_view, name="held_email_list"),
    path("queue/held-email/<int:held_email_id>/accept/", views_held.held_email_accept_view, name="held_email_accept"),
    path(
        "queue/held-email/<int:held_email_id>/discard/", views_held.held_email_discard_view, name="held_email_discard"
    ),
    path("queue/held-email/<int:held_email_id>/email/", views_held.held_email_download, name="held_email_download"),
    path("reports/", views_workspace.reports, name="reports"),
]
