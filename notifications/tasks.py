from celery import shared_task

from notifications import delivery


@shared_task(ignore_result=True)
def email_deliver(email_id: int) -> None:
    delivery.email_deliver(email_id=email_id)


@shared_task(ignore_result=True)
def email_send_due() -> int:
    return delivery.email_send_due()
