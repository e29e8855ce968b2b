"""School, TicketType and HelpDeskSettings, moved from tickets in state only: their tables keep their names."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('tickets', '0019_requester_addresses_without_plus_tags'),
    ]

    operations = [
        # The tables stay where they are: only Django's idea of which app owns them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HelpDeskSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('closed_reply', models.CharField(choices=[('answer', 'Record it and answer with a Reopen this ticket link (recommended)'), ('never', 'Record it and answer; never reopen'), ('within_days', 'Reopen when the ticket closed within the days below, else answer'), ('always', 'Always reopen the ticket')], default='answer', help_text='Short thank-you notes are only recorded, whatever is chosen here.', max_length=12, verbose_name='when a requester replies to a closed ticket')),
                        ('reopen_within_days', models.PositiveSmallIntegerField(default=7)),
                        ('waiting_reminder_business_days', models.PositiveSmallIntegerField(default=3, help_text='Remind the requester when a ticket has waited on them this many business days.')),
                        ('waiting_close_business_days', models.PositiveSmallIntegerField(default=5, help_text='Close the ticket this many business days after the reminder if they still have not answered.')),
                        ('quote_valid_days', models.PositiveSmallIntegerField(default=30, help_text="How long a vendor's quote holds after it is sent. The policy page, the quote form and the emails say this number, and reminders count from it.", validators=[django.core.validators.MinValueValidator(1)], verbose_name='quotes are valid for (days)')),
                        ('quote_reminder_days_before', models.PositiveSmallIntegerField(default=5, help_text='Requesters get one email this many days before their quote stops being valid. Keep it smaller than the number of days quotes are valid.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='remind requesters this many days before a quote expires')),
                    ],
                    options={
                        'verbose_name': 'help desk settings',
                        'verbose_name_plural': 'help desk settings',
                        'db_table': 'tickets_helpdesksettings',
                    },
                ),
                migrations.CreateModel(
                    name='School',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, unique=True)),
                        ('is_active', models.BooleanField(default=True, help_text='Untick to retire a school: it leaves the ticket form.')),
                        ('order', models.PositiveIntegerField(default=100, help_text='Lower numbers are listed first on the form.')),
                    ],
                    options={
                        'db_table': 'tickets_school',
                        'ordering': ['order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='TicketType',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80, unique=True)),
                        ('is_active', models.BooleanField(default=True, help_text='Untick to hide this type from the ticket form.')),
                        ('is_about_testing', models.BooleanField(default=False, help_text='Tickets of this type go to the top of the queue while a testing window is open.')),
                        ('order', models.PositiveIntegerField(default=100, help_text='Lower numbers are listed first on the form.')),
                    ],
                    options={
                        'db_table': 'tickets_tickettype',
                        'ordering': ['order', 'name'],
                    },
                ),
            ],
        ),
    ]
