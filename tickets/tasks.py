from celery import shared_task


@shared_task(ignore_result=True)
def pending_uploads_sweep() -> int:
    """Delete files kept for a choice page that the person never came back to."""
    from tickets.pending_uploads import pending_uploads_sweep as sweep

    return sweep()


@shared_task(ignore_result=True)
def waiting_tickets_follow_up() -> None:
    """Remind requesters a ticket waits on them, then close it if they never answer."""
    from tickets import services

    services.waiting_tickets_follow_up()


@shared_task(ignore_result=True)
def pending_additions_expire() -> int:
    """Remove additions from the form that the requester never confirmed, with their files."""
    from tickets import services

    return services.pending_additions_expire()
