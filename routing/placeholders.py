"""Placeholders in a rule's message, so it names the contact's current address and lead time, never a stale copy."""

import re

# What each placeholder stands for, as admins read it in the message's help text and errors.
PLACEHOLDERS = {
    "contact": "the contact's name",
    "email": "the contact's email address",
    "days": "the lead time in business days",
}
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """Return `text` with each known placeholder replaced by its value; anything else is left as typed."""
    return PLACEHOLDER.sub(lambda found: values.get(found[1].strip(), found[0]) or found[0], text)


def placeholders_problem(text: str, values: dict[str, str]) -> str | None:
    """Return what is wrong with the placeholders in `text` for these values, in words an admin can act on."""
    if values.get("email") and values["email"].lower() in text.lower():
        return "Write {email} instead of the address, so the message follows when the contact's address changes."
    if values.get("days") and re.search(rf"\b{values['days']}\s+business\s+day", text, re.IGNORECASE):
        return "Write {days} instead of the number, so the message follows when the lead time changes."
    for found in PLACEHOLDER.finditer(text):
        name = found[1].strip()
        if name not in PLACEHOLDERS:
            known = ", ".join(f"{{{key}}} ({meaning})" for key, meaning in PLACEHOLDERS.items())
            return f"{found[0]} is not a placeholder we can fill in. Use one of: {known}."
        if not values.get(name):
            return f"{found[0]} stands for {PLACEHOLDERS[name]}, and this rule has none. Add it, or remove {found[0]}."
    return None
