import uuid

from django import template

from submissions.once import KEY_FIELD

register = template.Library()


@register.inclusion_tag("submissions/_submission_key.html")
def submission_key() -> dict:
    """A new one-time key for a form that creates something; put it beside {% csrf_token %}, never in {% cache %}."""
    return {"name": KEY_FIELD, "key": uuid.uuid4().hex}
