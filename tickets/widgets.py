"""A drop-down rendered in Python: the same HTML as Django's Select, without a template per option.

Django renders every <option> through its own template include; on the queue and the ticket page that was a large
share of the time spent on forms (about 60 options per page). Grouped choices fall back to Django's templates.
"""

from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe

NOT_SELECTED = mark_safe("")  # nosec B308: constant, empty


class Select(forms.Select):
    """Named like Django's, so crispy gives it the same CSS class ("select")."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = choices_list(self.choices)
        if any(isinstance(label, list | tuple) for _, label in choices):
            return super().render(name, value, attrs, renderer)
        selected = {str(item) for item in self.format_value(value)}
        options, has_selected = [], False
        for option_value, label in choices:
            option_value = str(option_value)
            is_selected = option_value in selected and (not has_selected or self.allow_multiple_selected)
            has_selected |= is_selected
            chosen = " selected" if is_selected else ""
            options.append(f'<option value="{escaped(option_value)}"{chosen}>{escaped(label)}</option>')
        attrs = html_attrs({"name": name, **self.build_attrs(self.attrs, attrs)})
        # nosec: every value and label is escaped above
        return mark_safe(f"<select{attrs}>{''.join(options)}</select>")  # noqa: S308  # nosec B308 B703


def escaped(value) -> str:
    """As format_html escapes a value: HTML we made (it has __html__) as it is, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def choices_list(choices) -> list:
    """The (value, label) pairs; a model field's in one query (a kept table's field lists without any).

    ModelChoiceIterator would open a server-side cursor (three round trips on PostgreSQL), and list() would ask
    COUNT(*) first. Evaluating the queryset itself also runs any prefetch_related it has.
    """
    if not isinstance(choices, ModelChoiceIterator):
        return [choice for choice in choices]
    empty = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
    return empty + [choices.choice(obj) for obj in choices.queryset.all()]


def html_attrs(attrs: dict) -> str:
    """Attributes in their given order, as Django's attrs.html writes them (True: the bare name; False: left out)."""
    html = "".join(
        f" {escaped(key)}" if value is True else f' {escaped(key)}="{escaped(value)}"'
        for key, value in attrs.items()
        if value is not False
    )
    return mark_safe(html)  # noqa: S308  # nosec B308 B703: every name and value escaped


class HiddenInput(forms.HiddenInput):
    """Django's hidden input, written in Python: the same HTML, without two template includes."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        return format_html(
            '<input type="hidden" name="{}"{}{}>',
            name,
            format_html(' value="{}"', value) if value is not None else NOT_SELECTED,
            html_attrs(self.build_attrs(self.attrs, attrs)),
        )


def quick_selects(form: forms.BaseForm) -> None:
    """Give the form's plain drop-downs and hidden inputs the Python-rendered widgets (after choices are set)."""
    for field in form.fields.values():
        old = field.widget
        if type(old) is forms.Select:
            field.widget = Select(attrs=old.attrs)
            field.widget.choices, field.widget.is_required = old.choices, old.is_required
        elif type(old) is forms.HiddenInput:
            field.widget = HiddenInput(attrs=old.attrs)
            field.widget.is_required = old.is_required
