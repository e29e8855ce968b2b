from celery import shared_task

from submissions import services


@shared_task(ignore_result=True)
def submissions_sweep() -> int:
    return services.submissions_sweep()
