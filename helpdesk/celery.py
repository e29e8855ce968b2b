import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")

app = Celery("helpdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# The web request's id travels with each task it queues, so the worker's log lines about that task (the receipt's
# delivery, say) carry the same id as the request's line. Imported inside: this module loads before Django is set up.
@before_task_publish.connect
def request_id_send(headers=None, **kwargs):
    from helpdesk.request_log import request_id_var

    if headers is not None and request_id_var.get() != "-":
        headers.setdefault("request_id", request_id_var.get())


@task_prerun.connect
def request_id_take(task=None, **kwargs):
    from helpdesk.request_log import request_id_var

    request_id = getattr(task.request, "request_id", None)
    if request_id:
        task.request.request_id_token = request_id_var.set(request_id)


@task_postrun.connect
def request_id_drop(task=None, **kwargs):
    from helpdesk.request_log import request_id_var

    token = getattr(task.request, "request_id_token", None)
    if token is not None:
        request_id_var.reset(token)
