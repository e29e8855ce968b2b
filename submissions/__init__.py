"""Submissions that happen once: a form's one-time key, recorded in the transaction of the work it guards."""
