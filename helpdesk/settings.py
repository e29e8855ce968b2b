"""Settings for the help desk. Everything that differs between machines comes from the environment (.env.example)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

from helpdesk.beat import beat_schedule
from helpdesk.settings_google_devices import *  # noqa: F403  GOOGLE_DEVICES_*: the Google sync of devices

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_BASE_URL = "http://127.0.0.1:8000"  # a developer's runserver

env = environ.Env()
# A developer's local overrides; production sets real environment variables instead.
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-not-secret" if DEBUG else environ.Env.NOTSET)
# Former keys, comma-separated: after rotating DJANGO_SECRET_KEY, links signed with an old key keep working until
# they expire (30 days for a receipt's link); then drop the old key from this list.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The project's own apps; tests/test_architecture.py says which may import which.
FIRST_PARTY_APPS = [
    "district",
    "tickets",
    "inbound",
    "outages",
    "routing",
    "notifications",
    "sso",
    "health",
    "submissions",
    "helparticles",
    "devices",
    "alerts",
]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # so templates/ can override widget templates (the reCAPTCHA widget's, for the CSP)
    "django.contrib.postgres",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_recaptcha",
    "simple_history",
    "csp",
    "axes",
    *FIRST_PARTY_APPS,
]

MIDDLEWARE = [
    "helpdesk.request_log.RequestLogMiddleware",  # first, so its one line per request sees every answer
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body (CSRF reads POST): an oversized upload is refused unread.
    "helpdesk.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "helpdesk.middleware.PrivatePagesNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # after authentication: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "helpdesk.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "helpdesk.context_processors.district",
                "sso.context_processors.district_sign_in",
                "tickets.context_processors.requester_signed_in",
            ],
        },
    },
]

# Widgets render from templates/ too (templates/django_recaptcha/ drops the package's inline script).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "helpdesk.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# A kept connection is tested before a request reuses it, so a PostgreSQL restart or failover costs no request a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Chicago"  # the district's
USE_I18N = False  # English only: Django then skips its translation machinery, 8% of a ticket page
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))  # nginx serves it
STATICFILES_DIRS = [BASE_DIR / "static"]
# Attachments live outside STATIC_ROOT and have no MEDIA_URL: they are only ever served through a view that
# checks permission. Every web server must see the same files: a shared folder, or S3-compatible object storage.
PRIVATE_MEDIA_ROOT = Path(env("HELPDESK_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
HELPDESK_ATTACHMENTS_S3_BUCKET = env("HELPDESK_ATTACHMENTS_S3_BUCKET", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": HELPDESK_ATTACHMENTS_S3_BUCKET,
                "endpoint_url": env("HELPDESK_ATTACHMENTS_S3_ENDPOINT_URL", default="") or None,
                "region_name": env("HELPDESK_ATTACHMENTS_S3_REGION", default="") or None,
                "access_key": env("HELPDESK_ATTACHMENTS_S3_ACCESS_KEY_ID", default="") or None,  # None: instance role
                "secret_key": env("HELPDESK_ATTACHMENTS_S3_SECRET_ACCESS_KEY", default="") or None,
                "location": env("HELPDESK_ATTACHMENTS_S3_PREFIX", default=""),
                "default_acl": "private",  # never public: downloads go through the permission-checked views
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if HELPDESK_ATTACHMENTS_S3_BUCKET
        else {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "helpdesk.static_storage.ManifestStaticFilesStorage"
        )
    },
}

FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The text fields' limit; a whole body may be the attachments' total plus this, or it gets 413 unread
# (helpdesk.middleware.RequestSizeLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
HELPDESK_ATTACHMENT_MAX_FILES = 5
HELPDESK_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
HELPDESK_ATTACHMENTS_TOTAL_MAX_BYTES = 25 * 1024 * 1024

# Caches and sessions are shared by every web process and server. CACHE_URL (redis://host:6379/1) selects Redis;
# without it each process has its own memory cache, which is fine for one developer and wrong in production
# (manage.py check --deploy says so). Sessions live in the database, so nobody is signed out when Redis restarts.
CACHE_URL = env("CACHE_URL", default="")
# Every key the cache makes (kept tables, rate-limit counts) starts with this site's prefix, so two sites on one Redis
# never read each other's values. Default: HELPDESK_BASE_URL's host (and path), which no two sites share; two sites on
# one Redis should still each set their own CACHE_KEY_PREFIX (docs/operations.md, "More than one server").
_site_address = urlsplit(env("HELPDESK_BASE_URL", default=DEFAULT_BASE_URL).lower())
CACHE_KEY_PREFIX = env("CACHE_KEY_PREFIX", default="") or f"{_site_address.netloc}{_site_address.path}".rstrip("/")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"socket_connect_timeout": 2.0, "socket_timeout": 2.0},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": CACHE_KEY_PREFIX}
    )
}
SESSION_ENGINE = "helpdesk.sessions"  # database sessions, saved again after a PostgreSQL restart

# Security: safe defaults that production may loosen only through the environment.
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("DJANGO_BEHIND_PROXY", default=False) else None
)
# HSTS: browsers then refuse plain http for this host for that long. Production sets a year (.env.example).
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4): scripts only from this site and Google's reCAPTCHA, never inline, so an
# injected <script> or onclick= does not run. Inline style attributes stay allowed (the reCAPTCHA widget and
# third-party admin pages use them; they cannot run code), but <style> blocks are not.
RECAPTCHA_HOSTS = ["https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *RECAPTCHA_HOSTS],
        "frame-src": [SELF, *RECAPTCHA_HOSTS, "https://recaptcha.google.com/recaptcha/"],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # Bootstrap draws checkboxes and select arrows with data: SVGs
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
# Pages a browser may keep: they show no ticket, person or file. Every other page is sent with no-store
# (helpdesk.middleware.PrivatePagesNoStoreMiddleware), and so is any page for a logged-in technician or a signed-in
# requester (their address on the form, Sign out in the header).
HELPDESK_CACHEABLE_PAGES = [
    "tickets:home",
    "tickets:policy",
    "tickets:submit",
    "routing:mass_email",
    "routing:media",
    "routing:quote",
]

# Email. EMAIL_URL examples: consolemail://, smtp://user:pass@host:587 (STARTTLS), smtp+ssl://user:pass@host:465.
# Without EMAIL_URL a developer (DEBUG) sees emails on the console; a server hands them to its own mail server on
# port 25, so sign-in links never end up in a log.
vars().update(env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="NPSD Technology Help Desk <helpdesk@northpanolaschools.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
HELPDESK_REPLY_TO = env("HELPDESK_REPLY_TO", default="helpdesk@northpanolaschools.org")
HELPDESK_BASE_URL = env("HELPDESK_BASE_URL", default=DEFAULT_BASE_URL).rstrip("/")
HELPDESK_REQUESTER_DOMAIN = env("HELPDESK_REQUESTER_DOMAIN", default="northpanolaschools.org").lower().lstrip("@")
# Real domains a typo away from ours (South Panola is the neighbouring district): never answered with "did you mean".
HELPDESK_REQUESTER_DOMAIN_LOOKALIKES = env.list(
    "HELPDESK_REQUESTER_DOMAIN_LOOKALIKES", default=["southpanolaschools.org"]
)
HELPDESK_DISTRICT_NAME = "North Panola School District"
HELPDESK_DISTRICT_WEBSITE = "https://www.northpanolaschools.org/"
# Delivery retries: the wait doubles from the base up to the cap; after the last attempt the email shows as failed.
HELPDESK_EMAIL_MAX_ATTEMPTS = env.int("HELPDESK_EMAIL_MAX_ATTEMPTS", default=8)
HELPDESK_EMAIL_RETRY_BASE_SECONDS = env.int("HELPDESK_EMAIL_RETRY_BASE_SECONDS", default=60)
HELPDESK_EMAIL_RETRY_MAX_SECONDS = env.int("HELPDESK_EMAIL_RETRY_MAX_SECONDS", default=3600)

# reCAPTCHA v2 checkbox: on exactly when both keys are set. Without keys django-recaptcha falls back to Google's
# test keys and reports an error check; we do not use the field then, so that check is silenced, and our own
# deploy check (tickets.checks) refuses a production site without keys.
RECAPTCHA_PUBLIC_KEY = env("RECAPTCHA_PUBLIC_KEY", default="")
RECAPTCHA_PRIVATE_KEY = env("RECAPTCHA_PRIVATE_KEY", default="")
RECAPTCHA_ENABLED = bool(RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY)
RECAPTCHA_VERIFY_REQUEST_TIMEOUT = env.int("RECAPTCHA_VERIFY_REQUEST_TIMEOUT", default=5)
# www.google.com, or www.recaptcha.net where google.com is blocked.
RECAPTCHA_DOMAIN = env("RECAPTCHA_DOMAIN", default="www.google.com")
if not RECAPTCHA_ENABLED:
    del RECAPTCHA_PUBLIC_KEY, RECAPTCHA_PRIVATE_KEY
SILENCED_SYSTEM_CHECKS = [] if RECAPTCHA_ENABLED else ["django_recaptcha.recaptcha_test_key_error"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The reports' covering indexes (INCLUDE) are a PostgreSQL speed-up; SQLite simply builds plain ones.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery. Without a broker, tasks run in-process (eager). Broker timeouts are bounded so that a hung or missing
# Redis costs a request a few seconds at most; the email outbox delivers whatever was not queued.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers and beat log through LOGGING below, so their lines have the same format and request ids as the web's.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2.0, "socket_timeout": 5.0, "max_retries": 1}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BEAT_SCHEDULE = beat_schedule(env)
# Where the testing window reminder goes: blank sends one email to each active person in the staff directory.
HELPDESK_TESTING_REMINDER_TO = env("HELPDESK_TESTING_REMINDER_TO", default="")

# The help desk mailbox that HELPDESK_REPLY_TO delivers to, e.g. imaps://user:pass@mail.example.org/INBOX.
# Empty: nothing is polled (saved messages can still be fed to manage.py ingest_email).
INBOUND_IMAP_URL = env("INBOUND_IMAP_URL", default="")
# How the poller signs in: "password" (from the URL), or an OAuth 2.0 token over SASL XOAUTH2: "microsoft" (an Entra
# app registration with IMAP.AccessAsApp: tenant id, client id, client secret) or "google" (a service account with
# domain-wide delegation: its JSON key file). The mailbox address is INBOUND_OAUTH_MAILBOX, else the URL's user name.
# Secrets stay here in the environment; tokens are kept only in the worker's memory (inbound/mailbox_oauth.py).
INBOUND_IMAP_AUTH = env("INBOUND_IMAP_AUTH", default="password").strip().lower()
INBOUND_OAUTH_MAILBOX = env("INBOUND_OAUTH_MAILBOX", default="")
INBOUND_OAUTH_TENANT_ID = env("INBOUND_OAUTH_TENANT_ID", default="")
INBOUND_OAUTH_CLIENT_ID = env("INBOUND_OAUTH_CLIENT_ID", default="")
INBOUND_OAUTH_CLIENT_SECRET = env("INBOUND_OAUTH_CLIENT_SECRET", default="")
INBOUND_OAUTH_SERVICE_ACCOUNT_FILE = env("INBOUND_OAUTH_SERVICE_ACCOUNT_FILE", default="")
INBOUND_OAUTH_TOKEN_URL = env("INBOUND_OAUTH_TOKEN_URL", default="")  # tests only: a loopback token endpoint
# How senders are verified (inbound/sender_verification.py); an email whose sender is not confirmed is held for a
# technician. The authserv-id our mail server writes in Authentication-Results (mx.google.com for Google Workspace),
# and/or the Microsoft 365 tenant's ID (a GUID) whose mailbox is polled. Neither set: every email is held, unless
# HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS=true believes any district From: line (check --deploy reports both).
HELPDESK_INBOUND_AUTHSERV_ID = env("HELPDESK_INBOUND_AUTHSERV_ID", default="").strip()
HELPDESK_INBOUND_M365_TENANT_ID = env("HELPDESK_INBOUND_M365_TENANT_ID", default="").strip().strip("{}").lower()
HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS = env.bool("HELPDESK_INBOUND_TRUST_UNVERIFIED_SENDERS", default=False)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "tickets:queue"
LOGOUT_REDIRECT_URL = "tickets:home"
HELPDESK_TECHNICIANS_GROUP = "Technicians"

# District single sign-on (OpenID Connect, mozilla-django-oidc). On only when all three are set; the endpoints come
# from ISSUER/.well-known/openid-configuration. Google Workspace: https://accounts.google.com; Microsoft Entra ID:
# https://login.microsoftonline.com/<tenant-id>/v2.0. Register the redirect URL HELPDESK_BASE_URL + /sso/callback/.
HELPDESK_OIDC_ISSUER = env("HELPDESK_OIDC_ISSUER", default="").rstrip("/")
HELPDESK_OIDC_CLIENT_ID = env("HELPDESK_OIDC_CLIENT_ID", default="")
HELPDESK_OIDC_CLIENT_SECRET = env("HELPDESK_OIDC_CLIENT_SECRET", default="")
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10  # seconds for each call to the provider
OIDC_CREATE_USER = False  # never used by our backend; stated so nobody switches it on by accident

# Abuse limits (docs/operations.md: "Limits on public pages"). Behind N reverse proxies that each append the address
# they saw to X-Forwarded-For, set HELPDESK_TRUSTED_PROXY_COUNT=N; with 0 only the connection's own address counts,
# since any header could be typed by the client (helpdesk.client_ip).
HELPDESK_TRUSTED_PROXY_COUNT = env.int("HELPDESK_TRUSTED_PROXY_COUNT", default=0)
# Login lockout (django-axes): five wrong passwords for one username from one address in 15 minutes are allowed; the
# sixth locks that pair for 15 minutes (counted from the last failure). An admin unlocks in Admin > Axes > Access
# attempts (delete the row). The first backend refuses any login, right password or not, while locked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tickets.backends.TechnicianAwareBackend",  # Django's ModelBackend, with the Technicians group in one query
    "sso.backends.DistrictAccountBackend",
]
AXES_FAILURE_LIMIT = 6  # axes locks at this failure
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "helpdesk.client_ip.client_ip"
AXES_WHITELIST_CALLABLE = "helpdesk.lockout.lockout_skips"  # only password logins count
AXES_VERBOSE = False
# Rate limits on public POSTs (django-ratelimit, numbers in helpdesk/ratelimits.py), counted in the shared cache.
# HELPDESK_RATE_LIMITS=off is for load tests and acceptance runs only; manage.py check --deploy refuses it.
RATELIMIT_ENABLE = env.bool("HELPDESK_RATE_LIMITS", default=True)
RATELIMIT_IP_META_KEY = "helpdesk.client_ip.client_ip"
RATELIMIT_USE_CACHE = "default"
RATELIMIT_CACHE_PREFIX = "rl:"

# /readyz answers 503 when one of these is exceeded (seconds), or when the database or broker does not answer.
HELPDESK_READY_OUTBOX_MAX_AGE_SECONDS = env.int("HELPDESK_READY_OUTBOX_MAX_AGE_SECONDS", default=1800)
HELPDESK_READY_BEAT_MAX_AGE_SECONDS = env.int("HELPDESK_READY_BEAT_MAX_AGE_SECONDS", default=300)
HELPDESK_READY_MAILBOX_MAX_AGE_SECONDS = env.int("HELPDESK_READY_MAILBOX_MAX_AGE_SECONDS", default=900)
HELPDESK_READY_BROKER_TIMEOUT_SECONDS = env.float("HELPDESK_READY_BROKER_TIMEOUT_SECONDS", default=3.0)

# One line per request (helpdesk.request_log) and every other line carry the request id nginx sends (X-Request-ID).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "helpdesk.request_log.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # runserver's own line per request would repeat ours; its errors still show.
    "loggers": {"django.server": {"level": "WARNING"}},
}

# Errors to Sentry (or a compatible service) when a DSN is set; no personal data is sent.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
