from celery import shared_task


@shared_task
def loan_reminders_send() -> int:
    from devices import services

    return services.loan_reminders_send()


@shared_task
def google_devices_sync(dry_run: bool = False, user_id: int | None = None) -> int:
    from django.contrib.auth import get_user_model

    from devices import google_sync

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return google_sync.google_devices_sync(dry_run=dry_run, acting_user=user).pk
