import uuid

from django import template
from django.utils.html import format_html

from submissions.once import KEY_FIELD

register = template.Library()


@register.simple_tag
def submission_key() -> str:
    """A new one-time key for a form that creates something; put it beside {% csrf_token %}, never in {% cache %}.

    Written here rather than by a template: the ticket page has eight such forms."""
    return format_html('<input type="hidden" name="{}" value="{}">', KEY_FIELD, uuid.uuid4().hex)
