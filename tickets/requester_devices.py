"""The ticket form's "Or pick one of your devices", for a requester signed in (My tickets or district sign-on)."""

from django import forms

from devices.selectors import devices_assigned_to
from tickets.verification import RequesterVerification


def requester_devices_offer(form: forms.Form, *, verification: RequesterVerification) -> None:
    """Offer the devices assigned to the signed-in address; only that browser ever sees them."""
    if not verification.email:
        return
    devices = devices_assigned_to(person=verification.email)
    if not devices:
        return
    choices = [("", "Choose one of your devices")] + [
        (
            device.label,
            f"{device.label}: {device.get_kind_display()}{', ' + device.model if device.model else ''}",
        )
        for device in devices
    ]
    form.fields["my_device"] = forms.ChoiceField(
        label="Or pick one of your devices",
        choices=choices,
        required=False,
        help_text="The devices the district lists as yours. Leave it if the problem is with another device.",
    )
