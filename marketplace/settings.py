"""Settings for the micro-internship marketplace, read from the environment.

Every value that differs between a laptop, CI and production comes from an
environment variable (or a git-ignored `.env` file). Outside development
(`DEBUG` false) the secrets and hosts have no default: a missing or malformed
value stops the process at start-up instead of running half-configured.
"""

import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

from marketplace.csp import content_security_policy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))


def env_bool(name: str, default: bool) -> bool:
    """A yes/no setting; anything but a clear yes or no stops start-up."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


# Runtime files (SQLite database, uploads, Celery's file broker, collected
# static files) live under one git-ignored folder.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
# `manage.py runserver` (the development server, in `make run`).
RUNSERVER = sys.argv[1:2] == ["runserver"]

_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-when-debug-is-off-0123456789abcdef"
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY)
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
else:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY == _DEV_SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host.")

# The public address, for links in emails sent outside a request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "marketplace.apps.MarketplaceAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.saml",
    "allauth.socialaccount.providers.openid_connect",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_filters",
    "health_check",
    "django_prometheus",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "marketplace",
    "accounts",
    "projects",
    "engagements",
    "payments",
    "feedback",
    "safety",
    "outcomes",
    "oversight",
    "integrations",
    "api",
    "datarights",
    "demo",
]

MIDDLEWARE = [
    # First and last: every request and response is counted for Prometheus.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Before anything logs: every line of the request carries its id.
    "marketplace.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the session or the database.
    "marketplace.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "marketplace.middleware.PrivatePagesMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
# Each web process serves its busiest pages once while it boots (marketplace/warmup.py), so
# no visitor waits for a cold one. Off in development, where the server restarts on every edit.
WARM_UP = env_bool("WARM_UP", default=not DEBUG)
# The browse page's rendered results stay this long in the cache at most (projects/market.py);
# any change to the market replaces them at once. 0 renders every request afresh.
MARKET_CACHE_SECONDS = env.int("MARKET_CACHE_SECONDS", default=60)
SITE_ID = 1

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
                "marketplace.context_processors.site",
                "accounts.context_processors.navigation",
                "payments.context_processors.payments",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the Celery worker and beat share one SQLite file:
    # write-ahead logging lets readers run beside a writer, and IMMEDIATE
    # transactions take the write lock up front, so two writers queue instead
    # of failing half-way (SQLite has no SELECT ... FOR UPDATE).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # A connection is kept for a minute by gunicorn and Celery workers, which reuse one
    # per process (or per thread of a fixed pool); closed after each request in
    # development. Never kept under the development server: it serves each browser
    # connection in a thread of its own, alive as long as the browser keeps the
    # connection open, so a few browsers would hold every PostgreSQL connection slot.
    DATABASES["default"]["CONN_MAX_AGE"] = (
        0 if RUNSERVER else env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
    )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiler pays off on long analytical queries only: on the admin's
    # annotated lists it spent most of each request compiling (bench/oversight.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) serve PostgreSQL; SQLite builds them as plain indexes.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache and Celery ------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")

# Seconds before a task taken by a worker that died unacknowledged goes to another worker.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
if CELERY_VISIBILITY_TIMEOUT < 10:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be at least 10 seconds.")
_RESTORE_EVERY = max(1, min(100, CELERY_VISIBILITY_TIMEOUT // 10))

# Seconds to wait for Redis before treating it as away (a page never hangs on it).
REDIS_TIMEOUT_SECONDS = env.int("REDIS_TIMEOUT_SECONDS", default=2)

if REDIS_URL:
    CACHES = {
        "default": {
            # Misses instead of errors while Redis is away (marketplace/cache.py).
            "BACKEND": "marketplace.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="marketplace"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
    # Sessions are read from Redis and written through to the database: every web node
    # sees every session, and a restarted Redis signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task taken by a worker that dies before it acknowledges the task (acks late) is
        # given to another worker after this many seconds. Longer than the longest task: a
        # task still running when it expires would run twice at once.
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        # Workers look for such tasks every tenth of the timeout (every 100 s at most,
        # kombu's own period): a short timeout is also acted on soon.
        "unacked_restore_interval": 1 if _RESTORE_EVERY < 10 else 10,
        "unacked_restore_throttle": _RESTORE_EVERY if _RESTORE_EVERY < 10 else _RESTORE_EVERY // 10,
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
    }
    # Publishing gives up quickly while Redis is away: the sweeps redo the work
    # (marketplace/queueing.py).
    CELERY_TASK_PUBLISH_RETRY_POLICY = {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
else:
    # No server needed: the cache is a folder and the broker is kombu's
    # filesystem transport, so `make run` has a real worker and beat.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://localhost//"
    _broker_dir = Path(env.str("CELERY_FILE_BROKER_DIR", default=str(VAR_DIR / "celery")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }

CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The periodic schedule is defined in code (marketplace/celery.py).

# --- Authentication ---------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        # ASVS 2.1.1: at least 12 characters (the first rule the sign-up form lists).
        "NAME": "accounts.validators.PassphraseLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
if ACCOUNT_EMAIL_VERIFICATION not in {"mandatory", "optional", "none"}:
    raise ImproperlyConfigured("ACCOUNT_EMAIL_VERIFICATION must be mandatory, optional or none.")
if not DEBUG and ACCOUNT_EMAIL_VERIFICATION != "mandatory":
    raise ImproperlyConfigured("Email confirmation is mandatory outside development.")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Micro-internships] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_PREVENT_ENUMERATION = True
# Rate limits stay on: these are allauth's own defaults, spelled out so that
# they are visible and tested.
ACCOUNT_FORMS = {"login": "accounts.forms.SchoolAwareLoginForm"}
# Schools' single sign-on (accounts/sso.py): each school's SAML or OpenID Connect identity
# provider is an allauth SocialApp that a platform admin connects in the admin. Accounts are
# opened and linked by the adapter; nobody signs up through any other provider.
SOCIALACCOUNT_ADAPTER = "accounts.sso.SchoolSignOnAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_PROVIDERS = {"saml": {}, "openid_connect": {}}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    # The career services access request form (accounts.views), which mails every
    # platform admin: per network, and per requested address.
    "staff_access_request": "5/h/ip",
    "staff_access_request_email": "3/d/key",
}

# --- Internationalisation ----------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Shown to users who have not chosen a zone yet.
DEFAULT_USER_TIME_ZONE = env.str("DEFAULT_USER_TIME_ZONE", default="America/New_York")

# --- Static files and uploads ---------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
# Uploads (résumés, deliverables) are private: there is no public MEDIA_URL
# route; each file is served by a view that checks who is asking.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
# With STORAGE_BUCKET set, uploads go to S3-compatible object storage (AWS S3, MinIO, Ceph,
# ...) so that every web node and worker sees the same files; without it they stay on the
# local disk under MEDIA_ROOT. The bucket stays private: nothing in it is public-read, and a
# download either streams through the view that checked access or, with
# STORAGE_PRESIGNED_DOWNLOADS, is a redirect to a link signed for STORAGE_LINK_SECONDS.
STORAGE_BUCKET = env.str("STORAGE_BUCKET", default="")
STORAGE_PRESIGNED_DOWNLOADS = env_bool("STORAGE_PRESIGNED_DOWNLOADS", default=False)
STORAGE_LINK_SECONDS = env.int("STORAGE_LINK_SECONDS", default=60)
if STORAGE_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            # Empty means AWS itself; set for MinIO, Ceph or another S3-compatible service.
            "endpoint_url": env.str("STORAGE_ENDPOINT_URL", default="") or None,
            "region_name": env.str("STORAGE_REGION", default="") or None,
            # Empty means boto3's own lookup (instance role, AWS_* variables, ~/.aws).
            "access_key": env.str("STORAGE_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("STORAGE_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("STORAGE_PREFIX", default=""),
            "addressing_style": env.str("STORAGE_ADDRESSING_STYLE", default="") or None,
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": STORAGE_LINK_SECONDS,
            # Two uploads with the same name never replace each other (as on disk).
            "file_overwrite": False,
        },
    }
elif STORAGE_PRESIGNED_DOWNLOADS:
    raise ImproperlyConfigured("STORAGE_PRESIGNED_DOWNLOADS needs object storage (STORAGE_BUCKET).")
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if not 10 <= STORAGE_LINK_SECONDS <= 3600:
    raise ImproperlyConfigured("STORAGE_LINK_SECONDS must be between 10 and 3600.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
RESUME_MAX_BYTES = env.int("RESUME_MAX_BYTES", default=5 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ---------------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# For EMAIL_URL=filemail://, an absolute folder for the message files.
EMAIL_FILE_PATH = env.str(
    "EMAIL_FILE_PATH", default=EMAIL_CONFIG.get("EMAIL_FILE_PATH") or str(VAR_DIR / "mail")
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Micro-internships <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Seconds each step of talking to the mail server may take: a send always ends well
# before its claim on the message expires (OUTBOX_CLAIM_SECONDS).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# Every email leaves through the outbox (accounts/outbox.py). A failed send is retried,
# waiting twice as long each time, this many times in all.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
# Outgoing webhooks (integrations/webhooks.py): attempts per delivery (the waits double from
# 30 s), seconds to connect and to answer, and whether an endpoint may be on this machine or
# a private network (development and tests only: in production that would let anyone who
# registers an endpoint reach the platform's own network).
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=5)
WEBHOOKS_ALLOW_LOCAL_TARGETS = env_bool("WEBHOOKS_ALLOW_LOCAL_TARGETS", default=DEBUG)
if WEBHOOK_MAX_ATTEMPTS < 1 or not 1 <= WEBHOOK_TIMEOUT_SECONDS <= 30:
    raise ImproperlyConfigured(
        "WEBHOOK_MAX_ATTEMPTS must be at least 1, WEBHOOK_TIMEOUT_SECONDS 1 to 30."
    )
# A message being sent for this long was abandoned (its worker died): it is sent again.
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=600)
# Sent (and abandoned) messages are deleted after this many days.
OUTBOX_KEEP_DAYS = env.int("OUTBOX_KEEP_DAYS", default=30)

# How long the platform keeps what it must keep (the privacy page states them: safety.privacy).
# Payments, payouts and the ledger: tax and bookkeeping law (IRS: 7 years is the longest case).
RETENTION_LEDGER_YEARS = env.int("RETENTION_LEDGER_YEARS", default=7)
# The audit trail: who changed what, for disputes, fraud reviews and school oversight.
RETENTION_AUDIT_YEARS = env.int("RETENTION_AUDIT_YEARS", default=7)
# The disclosure log: FERPA asks that disclosures be recorded as long as the records are kept.
RETENTION_DISCLOSURES_YEARS = env.int("RETENTION_DISCLOSURES_YEARS", default=5)
# Messages of an engagement, counted from its end: disputes, reports and their reviews.
RETENTION_MESSAGES_YEARS = env.int("RETENTION_MESSAGES_YEARS", default=3)
# Files (submitted work, résumés of closed accounts), counted from the engagement's end.
RETENTION_FILES_YEARS = env.int("RETENTION_FILES_YEARS", default=3)
# Reports of scams and abuse, counted from their closing: repeated offenders are recognized.
RETENTION_REPORTS_YEARS = env.int("RETENTION_REPORTS_YEARS", default=5)
for _name in (
    "RETENTION_LEDGER_YEARS",
    "RETENTION_AUDIT_YEARS",
    "RETENTION_DISCLOSURES_YEARS",
    "RETENTION_MESSAGES_YEARS",
    "RETENTION_FILES_YEARS",
    "RETENTION_REPORTS_YEARS",
):
    if not 1 <= globals()[_name] <= 30:
        raise ImproperlyConfigured(f"{_name} must be a number of years from 1 to 30.")
if EMAIL_TIMEOUT <= 0 or EMAIL_TIMEOUT * 10 > OUTBOX_CLAIM_SECONDS:
    raise ImproperlyConfigured(
        "EMAIL_TIMEOUT must be positive and at most a tenth of OUTBOX_CLAIM_SECONDS."
    )

# Where people write for help: shown wherever a page says to get in touch.
SUPPORT_EMAIL = (
    env.str("SUPPORT_EMAIL", default="support@localhost") if DEBUG else env.str("SUPPORT_EMAIL")
)
try:
    validate_email(SUPPORT_EMAIL)
except ValidationError:
    raise ImproperlyConfigured(
        f"SUPPORT_EMAIL must be an email address, not {SUPPORT_EMAIL!r}."
    ) from None

# --- Mail bounces -------------------------------------------------------------------
# The shared secret the mail provider signs its bounce webhook with (accounts.bounces):
# "X-Bounce-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">". Empty: the
# webhook refuses everything (the `email_bounce` command records bounces by hand).
EMAIL_BOUNCE_WEBHOOK_SECRET = env.str("EMAIL_BOUNCE_WEBHOOK_SECRET", default="")

# --- Payments (Stripe) -----------------------------------------------------------

STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Only for tests against a local Stripe server; empty means Stripe's own API.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
if STRIPE_SECRET_KEY and not DEBUG and not STRIPE_WEBHOOK_SECRET:
    raise ImproperlyConfigured("With Stripe keys, STRIPE_WEBHOOK_SECRET is required too.")
if STRIPE_SECRET_KEY and not DEBUG and not STRIPE_PUBLISHABLE_KEY:
    raise ImproperlyConfigured("With Stripe keys, STRIPE_PUBLISHABLE_KEY is required too.")
# Without Stripe keys the local test-mode gateway runs: employers "pay" with a button and no
# money moves. Outside development that happens only when this loudly named setting says so
# (a staging site, a demo); `check --deploy` then warns about it (payments.W001).
PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION = env_bool(
    "PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION", default=False
)
if not DEBUG and not STRIPE_SECRET_KEY and not PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION:
    raise ImproperlyConfigured(
        "No payment gateway: set STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and "
        "STRIPE_WEBHOOK_SECRET. Only a site that must never take real money (staging, a demo) "
        "may run the test-mode gateway, with PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION=true."
    )

# --- Rules of the field (see DESIGN.md) ------------------------------------------

PROJECT_HOURS_MIN = env.int("PROJECT_HOURS_MIN", default=5)
PROJECT_HOURS_MAX = env.int("PROJECT_HOURS_MAX", default=40)
PROJECT_DAYS_MIN = env.int("PROJECT_DAYS_MIN", default=7)
PROJECT_DAYS_MAX = env.int("PROJECT_DAYS_MAX", default=30)
HOURLY_RATE_FLOOR_CENTS = env.int("HOURLY_RATE_FLOOR_CENTS", default=1500)
HOURLY_RATE_TYPICAL_MAX_CENTS = env.int("HOURLY_RATE_TYPICAL_MAX_CENTS", default=2500)
HOURLY_RATE_CEILING_CENTS = env.int("HOURLY_RATE_CEILING_CENTS", default=10000)
PLATFORM_FEE_PERCENT = env.int("PLATFORM_FEE_PERCENT", default=10)
# After approval an employer may add bonuses: each at least the minimum, all of one
# engagement's together at most the cap; the student gets them in full.
BONUS_MIN_CENTS = env.int("BONUS_MIN_CENTS", default=500)
BONUS_MAX_CENTS = env.int("BONUS_MAX_CENTS", default=50000)
# Organization sizes a sponsor's "small businesses" covers (accounts.OrganizationSize values).
SPONSOR_SMALL_BUSINESS_SIZES = env.list("SPONSOR_SMALL_BUSINESS_SIZES", default=["1-10", "11-50"])
# Payouts wait until Stripe has the student's tax information (W-9 or W-8BEN).
PAYOUTS_REQUIRE_TAX_INFO = env_bool("PAYOUTS_REQUIRE_TAX_INFO", default=True)
# The federal information-return threshold (Form 1099-NEC/-MISC) for payments from 2026.
TAX_REPORT_THRESHOLD_CENTS = env.int("TAX_REPORT_THRESHOLD_CENTS", default=200000)
# Who pays the students, as printed on their yearly earnings statements.
PLATFORM_LEGAL_NAME = env.str("PLATFORM_LEGAL_NAME", default="Micro-internships")
PLATFORM_ADDRESS = env.str("PLATFORM_ADDRESS", default="")
# Apply-by dates end at midnight in this zone (the last continental US zone to end a day),
# whoever is looking: everyone sees the same projects open or closed.
APPLY_BY_TIME_ZONE = env.str("APPLY_BY_TIME_ZONE", default="America/Los_Angeles")
# Work handed to a Celery task after commit (an email, a webhook event, a refund) that
# is still not done after this long is done by its periodic sweep instead: the task was
# lost (the broker restarted, a worker was killed). Also the first delay between retries.
TASK_RECOVERY_SECONDS = env.int("TASK_RECOVERY_SECONDS", default=300)
# How often beat runs those sweeps.
RECOVERY_SWEEP_SECONDS = env.int("RECOVERY_SWEEP_SECONDS", default=60)
# Reminders and automatic steps (feedback.reminders). Every delay is a setting.
REMINDER_SWEEP_SECONDS = env.int("REMINDER_SWEEP_SECONDS", default=300)  # how often beat sweeps
# How often beat raises (and closes) career services' integrity flags.
INTEGRITY_SWEEP_SECONDS = env.int("INTEGRITY_SWEEP_SECONDS", default=900)
REMINDER_DUE_HOURS = env.list("REMINDER_DUE_HOURS", cast=int, default=[72, 24])
# A student on post-completion OPT reports a new employer to SEVP within this many days of
# starting; reminded on these days after the work starts until they mark it reported.
OPT_REPORT_DAYS = env.int("OPT_REPORT_DAYS", default=10)
OPT_REPORT_REMINDER_DAYS = env.list("OPT_REPORT_REMINDER_DAYS", cast=int, default=[0, 7])
# Disputes: working days (Monday to Friday) the other side has to respond with evidence,
# and then the platform to decide (engagements/services/disputes.py).
DISPUTE_RESPONSE_BUSINESS_DAYS = env.int("DISPUTE_RESPONSE_BUSINESS_DAYS", default=5)
DISPUTE_DECISION_BUSINESS_DAYS = env.int("DISPUTE_DECISION_BUSINESS_DAYS", default=3)
REMINDER_OVERDUE_REPEAT_HOURS = env.int("REMINDER_OVERDUE_REPEAT_HOURS", default=48)
REMINDER_SESSION_HOURS = env.list("REMINDER_SESSION_HOURS", cast=int, default=[24, 1])
REMINDER_SESSION_UNMARKED_HOURS = env.int("REMINDER_SESSION_UNMARKED_HOURS", default=24)
REMINDER_REVIEW_DAYS = env.list("REMINDER_REVIEW_DAYS", cast=int, default=[3, 6])
AUTO_APPROVE_DAYS = env.int("AUTO_APPROVE_DAYS", default=7)
APPLICATION_DECISION_DAYS = env.int("APPLICATION_DECISION_DAYS", default=7)
APPLICATION_DECISION_WARNING_DAYS = env.int("APPLICATION_DECISION_WARNING_DAYS", default=2)
REMINDER_EVALUATION_DAYS = env.list("REMINDER_EVALUATION_DAYS", cast=int, default=[2, 7])
EVALUATION_REVEAL_DAYS = env.int("EVALUATION_REVEAL_DAYS", default=14)
# A student revises their reflection (outcomes.Reflection) for this many days after first
# submitting it; then it is fixed.
REFLECTION_EDIT_DAYS = env.int("REFLECTION_EDIT_DAYS", default=14)
if REFLECTION_EDIT_DAYS < 0:
    raise ImproperlyConfigured("REFLECTION_EDIT_DAYS must be at least 0.")
# A student cannot be accepted while this many engagements are under way.
ACTIVE_ENGAGEMENT_LIMIT = env.int("ACTIVE_ENGAGEMENT_LIMIT", default=3)
# F-1 students on CPT or pre-completion OPT: most hours a week during their school's term
# (a school may set fewer), and outside term on a part-time authorization.
F1_WEEKLY_HOURS_IN_TERM = env.int("F1_WEEKLY_HOURS_IN_TERM", default=20)
F1_WEEKLY_HOURS_PART_TIME = env.int("F1_WEEKLY_HOURS_PART_TIME", default=20)
# Academic credit (outcomes.credit): days a faculty member's review link works.
CREDIT_FACULTY_LINK_DAYS = env.int("CREDIT_FACULTY_LINK_DAYS", default=14)
if not 1 <= CREDIT_FACULTY_LINK_DAYS <= 90:
    raise ImproperlyConfigured("CREDIT_FACULTY_LINK_DAYS must be between 1 and 90.")
DELIVERABLE_MAX_BYTES = env.int("DELIVERABLE_MAX_BYTES", default=25 * 1024 * 1024)
# Reports one person may file in 24 hours (safety.services.report_create).
REPORTS_PER_DAY = env.int("REPORTS_PER_DAY", default=5)
# Data rights (datarights): how long a "download all my data" link works, and how many days
# after the request an account closure takes effect (0: at once; before then the user may
# change their mind).
DATA_EXPORT_LINK_DAYS = env.int("DATA_EXPORT_LINK_DAYS", default=7)
ACCOUNT_CLOSURE_GRACE_DAYS = env.int("ACCOUNT_CLOSURE_GRACE_DAYS", default=0)
if DATA_EXPORT_LINK_DAYS < 1 or ACCOUNT_CLOSURE_GRACE_DAYS < 0:
    raise ImproperlyConfigured(
        "DATA_EXPORT_LINK_DAYS must be at least 1 and ACCOUNT_CLOSURE_GRACE_DAYS at least 0."
    )
# The message screening rules in force (engagements/screening.py), by name; unset: all.
MESSAGE_SCREENING_RULES = env.list("MESSAGE_SCREENING_RULES", default=None)
CURRENCY = "usd"

# --- Security ---------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    if env_bool("BEHIND_TLS_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        # Rate limits per IP count the client the proxy names in X-Forwarded-For, not the
        # proxy itself (which would put every visitor under one shared limit).
        ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)

# Probes and the metrics scraper talk plain HTTP inside the network (marketplace/health.py).
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
# GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`; empty means no endpoint.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 20:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 20 characters.")

# The REST API (/api/v1/, api/): tokens or a session, one error shape, cursor pagination,
# rate limits counted in the cache (Redis in production) per token and per address.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/hour")
API_ANONYMOUS_RATE_LIMIT = env.str("API_ANONYMOUS_RATE_LIMIT", default="60/hour")
for _name, _rate in (
    ("API_RATE_LIMIT", API_RATE_LIMIT),
    ("API_ANONYMOUS_RATE_LIMIT", API_ANONYMOUS_RATE_LIMIT),
):
    _count, _, _period = _rate.partition("/")
    if not (
        _count.isdigit() and int(_count) > 0 and _period in {"second", "minute", "hour", "day"}
    ):
        raise ImproperlyConfigured(
            f"{_name} must look like 600/hour (second, minute, hour or day)."
        )
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.oauth.ClientAuthentication",
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RoleAndScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerCredential", "api.throttling.PerAddress"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.errors.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# OAuth2 client credentials for organizations and schools (api/oauth.py): access tokens last
# an hour; clients ask only for the scopes they were given.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "api.oauth.ClientScopes",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("API_OAUTH_TOKEN_SECONDS", default=3600),
    # The OAuth 2.0 Security BCP (RFC 9700) throughout; only client credentials are used.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Micro-internships API",
    "DESCRIPTION": "Projects, applicants and engagements for employers; students, engagements, "
    "evaluations, flags and figures for career services; applications, engagements and "
    "verified records for students. Authenticate with `Authorization: Bearer <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatus": "projects.models.ProjectStatus",
        "ApplicationStatus": "projects.models.ApplicationStatus",
        "EngagementStatus": "engagements.models.EngagementStatus",
    },
}

# No inline script or style anywhere; Stripe's domains only with Stripe keys (marketplace/csp.py).
CONTENT_SECURITY_POLICY = content_security_policy(stripe=bool(STRIPE_PUBLISHABLE_KEY))

# One JSON object per line in production (for a log collector), readable lines in
# development; every line names the request (or the task's originating request) by its id.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "marketplace.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
# Celery workers and beat log through the same handler (JSON, request ids).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Errors go to Sentry (or a Sentry-compatible service) when a DSN is set; no personal data
# (no cookies, no user details, no request bodies) is sent.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.utils import BadDsn

    try:
        sentry_sdk.init(
            dsn=SENTRY_DSN,
            environment=env.str("SENTRY_ENVIRONMENT", default="production"),
            integrations=[DjangoIntegration(), CeleryIntegration()],
            traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
            send_default_pii=False,
        )
    except BadDsn:
        raise ImproperlyConfigured("SENTRY_DSN is not a valid Sentry DSN.") from None
