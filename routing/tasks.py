from celery import shared_task


@shared_task(ignore_result=True)
def testing_window_reminders_send() -> int:
    from routing import services

    return services.testing_window_reminders_send()


@shared_task(ignore_result=True)
def quote_reminders_send() -> int:
    from routing import services

    return services.quote_reminders_send()
