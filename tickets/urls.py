from django.urls import path

from tickets.views import device_reports, devices, queue, reports, requester, submit, workspace

app_name = "tickets"

urlpatterns = [
    path("", submit.home, name="home"),
    path("policy/", submit.policy, name="policy"),
    path("tickets/new/", submit.ticket_submit, name="submit"),
    path("tickets/submitted/<uuid:public_id>/", submit.ticket_submitted, name="submitted"),
    path("tickets/added/<uuid:public_id>/", submit.ticket_added, name="added"),
    path("tickets/addition-requested/<uuid:public_id>/", submit.ticket_addition_requested, name="addition_requested"),
    path("tickets/add/<str:token>/", requester.pending_addition_view, name="addition"),
    path("tickets/reopen/<str:token>/", requester.ticket_reopen_view, name="reopen"),
    path("tickets/feedback/<str:token>/<str:answer>/", requester.ticket_feedback_view, name="feedback"),
    path("my/", requester.my_tickets, name="my_tickets"),
    path("my/sign-in-sent/", requester.my_sign_in_sent, name="my_sign_in_sent"),
    path("my/sign-in/<str:token>/", requester.my_sign_in, name="my_sign_in"),
    path("my/link/<str:token>/", requester.my_ticket_link, name="my_ticket_link"),
    path("my/tickets/<uuid:public_id>/", requester.my_ticket, name="my_ticket"),
    path("my/sign-out/", requester.my_sign_out, name="my_sign_out"),
    path("queue/", queue.queue, name="queue"),
    path("queue/export.csv", queue.queue_export, name="queue_export"),
    path("queue/bulk/", queue.queue_bulk, name="queue_bulk"),
    path("queue/next/", queue.queue_next, name="queue_next"),
    path("queue/<int:number>/", workspace.ticket_detail, name="detail"),
    path("queue/<int:number>/compose/", workspace.ticket_compose_view, name="compose"),
    path("queue/<int:number>/update/", workspace.ticket_update_view, name="update"),
    path("queue/<int:number>/take/", workspace.ticket_take_view, name="take"),
    path("queue/<int:number>/close/", workspace.ticket_close_view, name="close"),
    path("queue/<int:number>/merge/", workspace.ticket_merge_view, name="merge"),
    path("queue/<int:number>/reopen/", workspace.ticket_reopen_by_technician, name="reopen_by_technician"),
    path(
        "queue/<int:number>/attachments/<int:attachment_id>/",
        workspace.attachment_download,
        name="attachment",
    ),
    path("reports/", reports.reports, name="reports"),
    path("queue/<int:number>/device/", devices.ticket_device_view, name="ticket_device"),
    path("queue/<int:number>/device/status/", devices.ticket_device_status_view, name="ticket_device_status"),
    path("queue/<int:number>/loaner/", devices.ticket_loaner_view, name="ticket_loaner"),
    path("loans/", devices.loans_list, name="loans"),
    path("loans/<int:loan_id>/return/", devices.loan_return_view, name="loan_return"),
    path("devices/<int:pk>/", devices.device_detail, name="device"),
    path("reports/devices/", device_reports.device_report, name="device_report"),
    path("reports/devices/<str:table>.csv", device_reports.device_report_csv, name="device_report_csv"),
]
