from celery import shared_task


@shared_task(ignore_result=True)
def email_deliver(email_id: int) -> None:
    from notifications import services

    services.email_deliver(email_id=email_id)


@shared_task(ignore_result=True)
def email_send_due() -> int:
    from notifications import services

    return services.email_send_due()
