"""What the outages app tells other apps."""

from django.dispatch import Signal

# Sent once per detected cluster, after the ticket that completed it is saved:
# school_id, ticket_type_name, ticket_numbers (list of ints), detection_key (stable for the cluster).
possible_outage_detected = Signal()
