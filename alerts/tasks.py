from celery import shared_task


@shared_task(ignore_result=True)
def alerts_send_due() -> int:
    """Send folded alerts whose 15 minutes are over and the digests whose school day has begun."""
    from alerts import services

    return services.alerts_send_due()


@shared_task(ignore_result=True)
def tickets_overdue_alert() -> int:
    """Tell the lead technician about tickets that missed their response target (once each), after starting the
    clock of any open ticket that has none (tickets from before the upgrade)."""
    from alerts import clock

    clock.ticket_clocks_start()
    return clock.tickets_overdue_alert()
