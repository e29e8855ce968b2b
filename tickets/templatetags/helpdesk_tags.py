from datetime import timedelta

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.translation import gettext

from tickets.fragments import form_fields_html

register = template.Library()


@register.filter
def duration_human(value: timedelta | None) -> str:
    """Say a duration the way a person would: '45 min', '5.5 h', '3.2 days'."""
    if value is None:
        return "—"
    minutes = value.total_seconds() / 60
    if minutes < 90:
        return f"{minutes:.0f} min"
    hours = minutes / 60
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} days"


@register.filter
def duration_hours(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)


@register.filter
def person_name(user) -> str:
    """A user's full name, else their username; empty for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.simple_tag
def age(since, now) -> str:
    """How long ago, in the largest whole unit: '45 min', '5 h', '12 d' (cheaper than timesince for long tables)."""
    minutes = int((now - since).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


@register.simple_tag
def form_fields(form, template_name: str):
    """The form's fields rendered by `template_name`; an unbound form's HTML is rendered once per process."""
    return form_fields_html(form=form, template_name=template_name)


@register.simple_tag
def time_short(value):
    """A <time> saying "Nov 30, 3:04 p.m." in the district's time zone, like |date:"M j, g:i a" (for long tables)."""
    local = timezone.localtime(value)
    noon = gettext("p.m.") if local.hour > 11 else gettext("a.m.")
    label = f"{str(MONTHS_3[local.month]).title()} {local.day}, {local.hour % 12 or 12}:{local.minute:02d} {noon}"
    return format_html('<time datetime="{}">{}</time>', local.isoformat(timespec="seconds"), label)
