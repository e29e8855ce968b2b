"""A drop-down of a kept table (helpdesk.kept): what it lists and what it accepts come from one reader.

    school = KeptChoiceField(school_choices_active, queryset=School.objects.all(), label="School")

`listed()` returns the (pk, label) pairs; a posted pk outside them is refused as Django's ModelChoiceField refuses
one outside its queryset, and the queryset only fetches the chosen row (one query, on a POST). Listing reads the
kept table, never the database, so a page with drop-downs asks the database nothing for them.
"""

import hashlib
from collections.abc import Callable, Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.choices import BaseChoiceIterator

Listed = Callable[[], Iterable[tuple[int, str]]]


class KeptChoiceIterator(BaseChoiceIterator):
    """The field's pairs, read when a widget renders them (not when the form class is defined)."""

    def __init__(self, field: "KeptChoiceField"):
        self.field = field

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.listed()


class KeptChoiceField(forms.ModelChoiceField):
    def __init__(self, listed: Listed, *, queryset, **kwargs):
        self.listed = listed
        super().__init__(queryset=queryset, **kwargs)

    def _get_choices(self):
        if hasattr(self, "_choices"):  # set by hand (e.g. read once for a page): those
            return self._choices
        return KeptChoiceIterator(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        chosen = value.pk if isinstance(value, self.queryset.model) else value
        if str(chosen) not in {str(pk) for pk, _ in self.listed()}:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return super().to_python(value)


def form_fields_version(form: forms.BaseForm, *, leave_out: Iterable[str] = ()) -> str:
    """The {% cache %} key of a form's visible fields while they show nothing personal; empty when they do.

    The key is a digest of what the fields' HTML shows: each field's label, help text, widget, choices and chosen
    value. A KeptChoiceField lists its kept table (helpdesk.kept), which a save or delete of its rows forgets, so a
    school saved in admin, or a setting that changes a help text, gives a new key on the next page. A drop-down's
    chosen value is one of a few (a ticket's status, school, assignee), so such forms share a handful of entries.

    Nothing a person typed is kept: a bound form (what was typed, its errors), a text field given an initial value,
    or a field disabled for one person (a signed-in requester's address) make the key empty, and the page then
    renders the fields afresh. A bound form of drop-downs only (the queue's filters, `leave_out` naming its search
    box, which the page renders outside the cache) is kept once it is valid: each value is then one of its choices.
    `leave_out` also names fields the template renders otherwise (the queue's row checkboxes, whose choices are
    every ticket).
    """
    visible = [field for field in form if not field.is_hidden and field.name not in leave_out]
    if form.is_bound and not (all(isinstance(field.field, forms.ChoiceField) for field in visible) and form.is_valid()):
        return ""
    if any(
        field.field.disabled or (field.name in form.initial and not isinstance(field.field, forms.ChoiceField))
        for field in visible
    ):
        return ""
    shown = []
    for bound in visible:
        field, widget = bound.field, bound.field.widget
        attrs = sorted((str(key), str(value)) for key, value in widget.attrs.items())
        choices = [(str(value), str(label)) for value, label in getattr(field, "choices", ())]
        shown.append((bound.name, str(field.label), str(field.help_text), field.required, type(widget).__name__))
        shown.append((attrs, str(bound.value()), choices))
    return hashlib.blake2b(repr([form.prefix, form.auto_id, shown]).encode(), digest_size=12).hexdigest()
