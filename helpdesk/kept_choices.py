"""A drop-down of a kept table (helpdesk.kept): what it lists and what it accepts come from one reader.

    school = KeptChoiceField(school_choices_active, queryset=School.objects.all(), label="School")

`listed()` returns the (pk, label) pairs; a posted pk outside them is refused as Django's ModelChoiceField refuses
one outside its queryset, and the queryset only fetches the chosen row (one query, on a POST). Listing reads the
kept table, never the database, so a page with drop-downs asks the database nothing for them.
"""

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
