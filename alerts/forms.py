from django import forms

from alerts.models import DEFAULT_DELIVERY, Delivery, Kind

CHOOSABLE = [kind for kind in Kind if kind not in (Kind.MENTION, Kind.OVERDUE)]


class AlertPreferencesForm(forms.Form):
    """One choice per kind of alert: email at once, in the morning digest, or off."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in CHOOSABLE:
            self.fields[kind] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=current.get(kind, DEFAULT_DELIVERY[kind]),
                help_text=f"Default: {Delivery(DEFAULT_DELIVERY[kind]).label.lower()}.",
            )


class TargetsRangeForm(forms.Form):
    """The targets report's date range: tickets opened from one day to another."""

    start = forms.DateField(label="Opened from", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="to", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError("Choose an end date on or after the start date.")
        return cleaned
