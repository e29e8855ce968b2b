"""Rendered HTML of an unbound form's visible fields, kept per process: the same for every visitor, built once.

Rendering a dozen fields through crispy's templates costs several milliseconds, the most of the public form's time.
An unbound form has no per-request values (the CSRF token and reCAPTCHA stay outside the fragment), so its HTML
depends only on the fields' definitions and choices; those are the cache key (hidden fields, such as a ticket's
version, are rendered outside the fragment by the page and are not part of it), so a school or type added in admin
shows at once, in every process, without any invalidation. A bound form (typed values, errors) is always rendered.
"""

import copy

from django.conf import settings
from django.forms import ChoiceField, Form
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tickets.widgets import Select, choices_list

MAX_KEPT = 16  # a few variants at most (settings overridden in tests); a new one past this clears the rest

_rendered: dict[tuple, str] = {}


def form_fields_key(*, form: Form, template_name: str) -> tuple:
    """What the unbound form's HTML depends on: each field's definition, initial value and current choices."""
    fields = []
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue  # per-request values (a ticket's version, reCAPTCHA): never inside a fragment
        listed = choices_list(getattr(field, "choices", ()))
        if isinstance(field, ChoiceField):
            field.choices = listed  # read once: a first render (a miss) reuses these instead of asking again
        choices = tuple((str(value), str(label)) for value, label in listed)
        widget = field.widget
        attrs = tuple(sorted((key, str(value)) for key, value in widget.attrs.items()))
        initial = form.get_initial_for_field(field, name)
        fields.append(
            (name, str(field.label), str(field.help_text), field.required, type(widget).__name__, attrs, str(initial))
        )
        fields.append(choices)
    return (template_name, form.prefix, form.auto_id, tuple(fields))


def form_fields_html(*, form: Form, template_name: str) -> SafeString:
    """Render `template_name` with `form`; for an unbound form, reuse the HTML rendered before with the same key.

    Values given as the form's `initial` for drop-downs (a ticket's status, school, assignee) are per request: the
    fragment is rendered without them and the chosen options are marked afterwards. Any other per-request initial
    value means a full render.
    """
    if form.is_bound or settings.DEBUG:  # DEBUG: templates edited while the server runs show at once
        return render_to_string(template_name, {"form": form})
    chosen = {name: value for name, value in form.initial.items() if name in form.fields}
    chosen = {name: value for name, value in chosen.items() if not form.fields[name].widget.is_hidden}
    if not all(type(form.fields[name].widget) is Select for name in chosen):
        return render_to_string(template_name, {"form": form})
    blank = copy.copy(form)
    blank.initial = {name: value for name, value in form.initial.items() if name not in chosen}
    blank._bound_fields_cache = {}
    key = form_fields_key(form=blank, template_name=template_name)
    html = _rendered.get(key)
    if html is None:
        if len(_rendered) >= MAX_KEPT:
            _rendered.clear()
        html = _rendered[key] = render_to_string(template_name, {"form": blank})
    for name, value in chosen.items():
        html = _option_chosen(html, name=form.add_prefix(name), value=form.fields[name].widget.format_value(value))
    # nosec: rendered by the template engine (and format_html), which escaped it
    return mark_safe(html)  # noqa: S308  # nosec B308 B703


def _option_chosen(html: str, *, name: str, value: list[str]) -> str:
    """Move `selected` in the <select name=…> that tickets.widgets.Select rendered to the option for `value`."""
    start = html.index(format_html('<select name="{}"', name))
    end = html.index("</select>", start)
    options = html[start:end].replace(" selected>", ">")
    if value:
        option = format_html('<option value="{}">', value[0])
        options = options.replace(option, format_html('<option value="{}" selected>', value[0]), 1)
    return html[:start] + options + html[end:]
