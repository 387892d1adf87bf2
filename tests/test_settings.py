"""Settings come from the environment and fail loudly when production values are missing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "k3v9QzpL2mRt7wX4bN8cY1dF6gH0jS5uAeIoPrTyU-production-like-key"
STRIPE_KEYS = {
    "STRIPE_SECRET_KEY": "sk_live_production_like",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_production_like",
    "STRIPE_WEBHOOK_SECRET": "whsec_production_like",
}
PRODUCTION = {
    "SECRET_KEY": GOOD_SECRET,
    "ALLOWED_HOSTS": "interns.example.org",
    "SUPPORT_EMAIL": "help@interns.example.org",
    **STRIPE_KEYS,
}

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "DB_ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(settings.DATABASES["default"]["NAME"]),
    "DB_HOST": settings.DATABASES["default"].get("HOST", ""),
    "CONN_MAX_AGE": settings.DATABASES["default"].get("CONN_MAX_AGE"),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "SESSIONS": settings.SESSION_ENGINE,
    "BROKER": settings.CELERY_BROKER_URL,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "EMAIL_HOST": settings.EMAIL_HOST,
    "EMAIL_PORT": settings.EMAIL_PORT,
    "VERIFICATION": settings.ACCOUNT_EMAIL_VERIFICATION,
    "STRIPE": settings.STRIPE_SECRET_KEY,
    "SSL_REDIRECT": getattr(settings, "SECURE_SSL_REDIRECT", False),
}))
"""


def run_with_env(args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    for key in (
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_URL",
        "CONN_MAX_AGE",
        "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION",
        "SUPPORT_EMAIL",
    ):
        clean.pop(key, None)
    clean.update(env, DJANGO_SETTINGS_MODULE="marketplace.settings")
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def settings_with(**env):
    result = run_with_env(["-c", PRINT_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_development_defaults_need_no_services(tmp_path):
    values = settings_with(DEBUG="true", VAR_DIR=str(tmp_path))

    assert values["DEBUG"] is True
    assert values["DB_ENGINE"] == "django.db.backends.sqlite3"
    assert values["DB_NAME"] == str(tmp_path / "db.sqlite3")
    assert values["BROKER"].startswith("filesystem://")
    assert values["CACHE"].endswith("FileBasedCache")
    assert values["SESSIONS"] == "django.contrib.sessions.backends.db"
    assert values["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert values["STRIPE"] == ""


def test_service_urls_configure_database_broker_cache_and_mail():
    values = settings_with(
        DEBUG="true",
        DATABASE_URL="postgres://app:secret@db.internal:5432/marketplace",
        REDIS_URL="redis://cache.internal:6379/2",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example.com:587",
        STRIPE_SECRET_KEY="sk_test_123",
    )

    assert values["DB_ENGINE"] == "django.db.backends.postgresql"
    assert (values["DB_NAME"], values["DB_HOST"]) == ("marketplace", "db.internal")
    assert values["BROKER"] == "redis://cache.internal:6379/2"
    assert values["CACHE"] == "marketplace.cache.ResilientRedisCache"
    assert values["SESSIONS"] == "django.contrib.sessions.backends.cached_db"
    assert values["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.com", 587)
    assert values["STRIPE"] == "sk_test_123"


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"ALLOWED_HOSTS": "example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_SECRET}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "example.org"}, "at least 50 characters"),
        (
            {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "example.org", "DEBUG": "perhaps"},
            "DEBUG",
        ),
        (
            {
                "SECRET_KEY": GOOD_SECRET,
                "ALLOWED_HOSTS": "example.org",
                "ACCOUNT_EMAIL_VERIFICATION": "none",
            },
            "mandatory outside development",
        ),
        ({"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "example.org"}, "SUPPORT_EMAIL"),
        (
            {
                "SECRET_KEY": GOOD_SECRET,
                "ALLOWED_HOSTS": "example.org",
                "SUPPORT_EMAIL": "help desk",
            },
            "SUPPORT_EMAIL must be an email address",
        ),
    ],
)
def test_production_refuses_to_start_with_missing_or_malformed_settings(env, complaint):
    result = run_with_env(["-c", PRINT_SETTINGS], **env)

    assert result.returncode != 0
    assert complaint in result.stderr


def test_a_production_configuration_passes_the_deployment_checklist():
    result = run_with_env(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


POSTGRES = "postgres://app:secret@db.internal:5432/marketplace"


def test_development_closes_database_connections_after_each_request():
    values = settings_with(DEBUG="true", DATABASE_URL=POSTGRES)

    assert values["CONN_MAX_AGE"] == 0


def test_the_development_server_never_keeps_database_connections():
    # runserver serves each browser connection in a thread that keeps its own database
    # connection: kept connections filled PostgreSQL's slots after a few browser sessions.
    as_runserver = "import sys\nsys.argv = ['manage.py', 'runserver']\n" + PRINT_SETTINGS
    for debug in ("true", "false"):
        result = run_with_env(
            ["-c", as_runserver],
            DEBUG=debug,
            DATABASE_URL=POSTGRES,
            CONN_MAX_AGE="60",
            **{**PRODUCTION, "ALLOWED_HOSTS": "127.0.0.1"},
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.strip().splitlines()[-1])["CONN_MAX_AGE"] == 0


def test_production_workers_keep_database_connections_for_a_minute():
    values = settings_with(DATABASE_URL=POSTGRES, **PRODUCTION)

    assert values["CONN_MAX_AGE"] == 60


def test_production_refuses_to_start_without_a_payment_gateway():
    without_stripe = {k: v for k, v in PRODUCTION.items() if k not in STRIPE_KEYS}

    result = run_with_env(["-c", PRINT_SETTINGS], **without_stripe)

    assert result.returncode != 0
    assert "No payment gateway" in result.stderr
    assert "PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION" in result.stderr
    served = run_with_env(["manage.py", "check"], **without_stripe)
    assert served.returncode != 0
    assert "No payment gateway" in served.stderr


@pytest.mark.parametrize("missing", ["STRIPE_WEBHOOK_SECRET", "STRIPE_PUBLISHABLE_KEY"])
def test_production_refuses_half_a_stripe_configuration(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}

    result = run_with_env(["-c", PRINT_SETTINGS], **env)

    assert result.returncode != 0
    assert missing in result.stderr


def test_test_mode_in_production_needs_its_loud_setting_and_the_checklist_warns():
    without_stripe = {k: v for k, v in PRODUCTION.items() if k not in STRIPE_KEYS}

    values = settings_with(**without_stripe, PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION="true")
    checklist = run_with_env(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **without_stripe,
        PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION="true",
    )

    assert values["DEBUG"] is False
    assert values["STRIPE"] == ""
    assert checklist.returncode != 0
    assert "payments.W001" in checklist.stderr
    assert "TEST MODE" in checklist.stderr


def test_development_runs_the_local_gateway_without_any_setting(tmp_path):
    result = run_with_env(
        [
            "-c",
            "import django; django.setup(); from payments.gateways import get_gateway; "
            "print(type(get_gateway()).__name__)",
        ],
        DEBUG="true",
        VAR_DIR=str(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "LocalGateway"


def test_production_defaults_to_https_only():
    values = settings_with(**PRODUCTION)

    assert values["DEBUG"] is False
    assert values["SSL_REDIRECT"] is True
    assert values["VERIFICATION"] == "mandatory"


def test_the_local_gateway_refuses_to_run_when_production_settings_change_under_it(settings):
    from django.core.exceptions import ImproperlyConfigured

    from payments.gateways import get_gateway

    settings.DEBUG = False
    settings.STRIPE_SECRET_KEY = ""
    settings.PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION = False

    with pytest.raises(ImproperlyConfigured, match="test-mode payment gateway is off"):
        get_gateway()


PRINT_STORAGE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps(settings.STORAGES["default"]))
"""


def test_a_bucket_sends_uploads_to_private_object_storage():
    result = run_with_env(
        ["-c", PRINT_STORAGE],
        DEBUG="true",
        STORAGE_BUCKET="interns-uploads",
        STORAGE_ENDPOINT_URL="https://s3.example.org",
        STORAGE_ACCESS_KEY_ID="key",
        STORAGE_SECRET_ACCESS_KEY="secret",
        STORAGE_LINK_SECONDS="120",
    )

    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout.strip().splitlines()[-1])
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"]) == (
        "interns-uploads",
        "https://s3.example.org",
    )
    assert options["default_acl"] is None
    assert options["querystring_expire"] == 120
    assert options["file_overwrite"] is False


def test_uploads_stay_on_the_disk_without_a_bucket(tmp_path):
    result = run_with_env(["-c", PRINT_STORAGE], DEBUG="true", VAR_DIR=str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["BACKEND"].endswith(
        "FileSystemStorage"
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"STORAGE_PRESIGNED_DOWNLOADS": "true"}, "needs object storage"),
        ({"STORAGE_BUCKET": "b-1", "STORAGE_LINK_SECONDS": "86400"}, "between 10 and 3600"),
    ],
)
def test_storage_settings_that_cannot_work_stop_start_up(env, complaint):
    result = run_with_env(["-c", PRINT_STORAGE], DEBUG="true", **env)

    assert result.returncode != 0
    assert complaint in result.stderr


def test_a_scaled_out_configuration_passes_the_deployment_checklist():
    result = run_with_env(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        DATABASE_URL="postgres://app:secret@db.internal:5432/marketplace",
        REDIS_URL="redis://cache.internal:6379/0",
        STORAGE_BUCKET="interns-uploads",
        STORAGE_PRESIGNED_DOWNLOADS="true",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _broker_options(**env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CELERY_BROKER_TRANSPORT_OPTIONS))"
    )
    result = run_with_env(["-c", code], DEBUG="true", REDIS_URL="redis://cache:6379/0", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_dead_workers_task_goes_to_another_worker_after_the_visibility_timeout():
    default = _broker_options()
    short = _broker_options(CELERY_VISIBILITY_TIMEOUT="15")

    # An hour by default, looked for every 100 s (kombu's own period: 10 s, every 10th time).
    assert default["visibility_timeout"] == 3600
    assert (default["unacked_restore_interval"], default["unacked_restore_throttle"]) == (10, 10)
    # A short timeout is looked for every second.
    assert short["visibility_timeout"] == 15
    assert (short["unacked_restore_interval"], short["unacked_restore_throttle"]) == (1, 1)
    too_short = run_with_env(
        ["-c", "import django; django.setup()"],
        DEBUG="true",
        REDIS_URL="redis://cache:6379/0",
        CELERY_VISIBILITY_TIMEOUT="5",
    )
    assert too_short.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT must be at least 10 seconds" in too_short.stderr
