"""Celery beat's schedule: what runs on its own and how often. Settings calls beat_schedule(env) once.

Each app's periodic work is one entry here, so the whole timetable of the help desk reads in one place.
"""

from celery.schedules import crontab


def beat_schedule(env) -> dict:
    return {
        "email-send-due": {
            "task": "notifications.tasks.email_send_due",
            "schedule": env.float("HELPDESK_EMAIL_SEND_DUE_SECONDS", default=60.0),
        },
        "waiting-tickets-follow-up": {"task": "tickets.tasks.waiting_tickets_follow_up", "schedule": 3600.0},
        "pending-uploads-sweep": {"task": "tickets.tasks.pending_uploads_sweep", "schedule": 3600.0},
        "pending-additions-expire": {"task": "tickets.tasks.pending_additions_expire", "schedule": 3600.0},
        "inbound-email-poll": {
            "task": "inbound.tasks.inbound_email_poll",
            "schedule": env.float("INBOUND_IMAP_POLL_SECONDS", default=60.0),
        },
        # Routing: staff hear about a testing window 3 days ahead; quote requesters before a quote expires.
        "routing-testing-window-reminders": {"task": "routing.tasks.testing_window_reminders_send", "schedule": 3600.0},
        "routing-quote-reminders": {"task": "routing.tasks.quote_reminders_send", "schedule": 6 * 3600.0},
        # Alerts: folded alerts after their 15 minutes and each morning digest when the school day begins (the
        # school hours are admin data, so a fixed crontab would miss a change); overdue tickets to the lead.
        "alerts-send-due": {"task": "alerts.tasks.alerts_send_due", "schedule": 60.0},
        "alerts-overdue": {"task": "alerts.tasks.tickets_overdue_alert", "schedule": 300.0},
        "submissions-sweep": {"task": "submissions.tasks.submissions_sweep", "schedule": 3600.0},  # keys of a day ago
        # Devices: the loaner reminder on its due date; Google's ChromeOS devices nightly (devices.google).
        "devices-loan-reminders": {"task": "devices.tasks.loan_reminders_send", "schedule": 3600.0},
        "devices-google-sync": {"task": "devices.tasks.google_devices_sync", "schedule": crontab(hour=2, minute=15)},
        "beat-heartbeat": {
            "task": "health.tasks.beat_heartbeat_record",
            "schedule": env.float("HELPDESK_BEAT_HEARTBEAT_SECONDS", default=60.0),
        },
    }
