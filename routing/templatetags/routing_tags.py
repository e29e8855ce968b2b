from django import template
from django.utils import timezone

from routing.selectors import testing_window_for_banner

register = template.Library()


@register.inclusion_tag("routing/_testing_banner.html")
def testing_banner():
    """The banner every public page shows while a testing window is open or starts within three days."""
    now = timezone.now()
    window = testing_window_for_banner(at=now)
    return {"window": window, "is_open": bool(window and window.starts_at <= now)}
