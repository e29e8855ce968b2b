"""Rendered HTML of an unbound form's visible fields, kept per process: the same for every visitor, built once.

Rendering a dozen fields through crispy's templates costs several milliseconds, the most of the public form's time.
An unbound form has no per-request values (the CSRF token and reCAPTCHA stay outside the fragment), so its HTML
depends only on the fields' definitions and choices; those are the cache key (hidden fields, such as a ticket's
version, are rendered outside the fragment by the page and are not part of it), so a school or type added in admin
shows at once, in every process, without any invalidation. A bound form (typed values, errors) is always rendered.
"""

from django.conf import settings
from django.forms import Form
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from tickets.widgets import choices_list

MAX_KEPT = 16  # a few variants at most (settings overridden in tests); a new one past this clears the rest

_rendered: dict[tuple, str] = {}


def form_fields_key(*, form: Form, template_name: str) -> tuple:
    """What the unbound form's HTML depends on: each field's definition, initial value and current choices."""
    fields = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue  # per-request values (a ticket's version, reCAPTCHA): never inside a fragment
        choices = tuple((str(value), str(label)) for value, label in choices_list(getattr(field, "choices", ())))
        widget = field.widget
        attrs = tuple(sorted((key, str(value)) for key, value in widget.attrs.items()))
        initial = form.get_initial_for_field(field, name)
        fields.append(
            (name, str(field.label), str(field.help_text), field.required, type(widget).__name__, attrs, str(initial))
        )
        fields.append(choices)
    return (template_name, form.prefix, form.auto_id, tuple(fields))


def form_fields_html(*, form: Form, template_name: str) -> SafeString:
    """Render `template_name` with `form`; for an unbound form, reuse the HTML rendered before with the same key."""
    if form.is_bound or settings.DEBUG:  # DEBUG: templates edited while the server runs show at once
        return render_to_string(template_name, {"form": form})
    key = form_fields_key(form=form, template_name=template_name)
    html = _rendered.get(key)
    if html is None:
        if len(_rendered) >= MAX_KEPT:
            _rendered.clear()
        html = _rendered[key] = render_to_string(template_name, {"form": form})
    return mark_safe(html)  # noqa: S308  rendered by the template engine, which escaped it
