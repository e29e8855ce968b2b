from celery import shared_task


@shared_task
def loan_reminders_send() -> int:
    from devices import services

    return services.loan_reminders_send()


@shared_task
def google_devices_sync() -> int:
    from devices import google_sync

    return google_sync.google_devices_sync(dry_run=False).pk
