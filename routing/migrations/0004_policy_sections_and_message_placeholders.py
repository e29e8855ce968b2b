"""Rules name their policy-page section, and seeded messages use placeholders instead of copies of addresses.

A message an admin already rewrote is left alone, except that a literal copy of its contact's address becomes
{email}; contacts lose the lead times copied into what they handle, since the rule's lead time is shown beside it.
"""

from django.db import migrations, models

SECTIONS = {
    "SAM Spectra 7 questions": "sam",
    "Active Resources questions": "active_resources",
    "Streaming during a testing window": "testing",
    "Access levels in instructional programs": "access_levels",
    "Maintenance requests": "maintenance",
    "Equipment purchases": "purchases",
    "Personal devices": "personal_devices",
}

SEEDED_MESSAGES = {
    "SAM Spectra 7 questions": (
        "handled by Towanda Mangrum, not the technology help desk. Please send your request to her: the button below does "
        "it for you",
        "handled by {contact}, not the technology help desk. The button below sends your request to {contact} for you",
    ),
    "Active Resources questions": (
        "handled by Faye Robertson, not the technology help desk. Please send your request to her: the button below does "
        "it for you",
        "handled by {contact}, not the technology help desk. The button below sends your request to {contact} for you",
    ),
    "Mass email requests": (
        "at least 7 business days before the event (7 to 10 is best),",
        "at least {days} business days before the event,",
    ),
    "Media requests": ("at least 5 business days before the event.", "at least {days} business days before the event."),
    "Quote requests": ("from C. Malone (cmalone@northpanolaschools.org), and", "from {email}, and"),
}

SEEDED_HANDLES = {
    "Mass emails about events, 7 to 10 business days before the event.": "Mass emails about events.",
    "Photographs, video and flyers for events, 5 to 7 business days before the event.": (
        "Photographs, video and flyers for events."
    ),
}


def use_placeholders(apps, schema_editor):
    Contact = apps.get_model("routing", "Contact")
    RoutingRule = apps.get_model("routing", "RoutingRule")
    for contact in Contact.objects.filter(handles__in=list(SEEDED_HANDLES)):
        contact.handles = SEEDED_HANDLES[contact.handles]
        contact.save(update_fields=["handles"])
    for rule in RoutingRule.objects.select_related("contact"):
        message = rule.message
        old, new = SEEDED_MESSAGES.get(rule.name, ("", ""))
        if old and old in message:
            message = message.replace(old, new)
        if rule.contact_id and rule.contact.email and rule.contact.email in message:
            message = message.replace(rule.contact.email, "{email}")
        section = rule.policy_section or SECTIONS.get(rule.name, "")
        if (message, section) != (rule.message, rule.policy_section):
            RoutingRule.objects.filter(pk=rule.pk).update(message=message, policy_section=section)


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0003_forwarded_files"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalroutingrule",
            name="policy_section",
            field=models.CharField(
                blank=True,
                choices=[
                    ("sam", "SAM Spectra 7"),
                    ("active_resources", "Active Resources"),
                    ("testing", "Testing windows"),
                    ("access_levels", "Instructional programs (access levels)"),
                    ("maintenance", "Maintenance help desk"),
                    ("purchases", "Equipment purchases"),
                    ("personal_devices", "Personal devices"),
                ],
                help_text="Which part of the Help desk policy page shows this rule's contact or message. Leave empty and an active rule that stops tickets is listed under “Other requests that go elsewhere”.",
                max_length=20,
                verbose_name="section of the policy page",
            ),
        ),
        migrations.AddField(
            model_name="routingrule",
            name="policy_section",
            field=models.CharField(
                blank=True,
                choices=[
                    ("sam", "SAM Spectra 7"),
                    ("active_resources", "Active Resources"),
                    ("testing", "Testing windows"),
                    ("access_levels", "Instructional programs (access levels)"),
                    ("maintenance", "Maintenance help desk"),
                    ("purchases", "Equipment purchases"),
                    ("personal_devices", "Personal devices"),
                ],
                help_text="Which part of the Help desk policy page shows this rule's contact or message. Leave empty and an active rule that stops tickets is listed under “Other requests that go elsewhere”.",
                max_length=20,
                verbose_name="section of the policy page",
            ),
        ),
        migrations.AlterField(
            model_name="contact",
            name="handles",
            field=models.TextField(
                blank=True,
                help_text="What this contact handles, in a sentence people will read (lead times come from rules).",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcontact",
            name="handles",
            field=models.TextField(
                blank=True,
                help_text="What this contact handles, in a sentence people will read (lead times come from rules).",
            ),
        ),
        migrations.AlterField(
            model_name="historicalroutingrule",
            name="message",
            field=models.TextField(
                help_text="What the person reads, in one or two plain sentences: why, and where to go instead. Write {contact}, {email} or {days} for the contact's name, the contact's email address or the lead time: they are filled in for you, so the message stays right when those change."
            ),
        ),
        migrations.AlterField(
            model_name="routingrule",
            name="message",
            field=models.TextField(
                help_text="What the person reads, in one or two plain sentences: why, and where to go instead. Write {contact}, {email} or {days} for the contact's name, the contact's email address or the lead time: they are filled in for you, so the message stays right when those change."
            ),
        ),
        migrations.AlterField(
            model_name="servicerequest",
            name="quote_sent_at",
            field=models.DateField(
                blank=True,
                help_text="For quotes: the day the quote went to the requester. How long quotes are valid, and when the requester is reminded, are set in Help desk settings.",
                null=True,
                verbose_name="quote sent on",
            ),
        ),
        migrations.RunPython(use_placeholders, migrations.RunPython.noop),
    ]
