"""The Requester field for a browser signed in with a district account (district single sign-on)."""

from django import forms

from tickets.verification import RequesterVerification


def requester_field_fix(form: forms.Form, *, verification: RequesterVerification) -> None:
    """Fill Requester with the address the district vouched for and lock it, while My tickets is signed in as it.

    A disabled field ignores whatever is posted for it. After signing out of My tickets the field is free again.
    """
    if not verification.is_district_account:
        return
    field = form.fields["requester_email"]
    field.initial = verification.email
    field.disabled = True
    field.help_text = (
        "You signed in with your district account. To use another address, press Sign out at the top of the page."
    )
