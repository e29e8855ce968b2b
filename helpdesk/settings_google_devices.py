"""Settings of the Google sync of ChromeOS devices (devices/google_sync.py), read from the environment.

A service account with domain-wide delegation reads the devices with the read-only scope, acting as a Google Workspace
admin (docs/deploy.md, "Google Admin: ChromeOS devices"). Both unset: the sync is off and says so in admin.
"""

import environ

env = environ.Env()

GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE = env("GOOGLE_DEVICES_SERVICE_ACCOUNT_FILE", default="")
GOOGLE_DEVICES_ADMIN_EMAIL = env("GOOGLE_DEVICES_ADMIN_EMAIL", default="")
GOOGLE_DEVICES_CUSTOMER_ID = env("GOOGLE_DEVICES_CUSTOMER_ID", default="my_customer")
# Tests only: a loopback stand-in for the Admin SDK (its root URL), so recorded answers can be served.
GOOGLE_DEVICES_API_URL = env("GOOGLE_DEVICES_API_URL", default="")
