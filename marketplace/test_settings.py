"""Settings for the test suite: the environment's settings with fast, isolated parts.

The database still comes from DATABASE_URL, so CI runs the same suite on
SQLite and on PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("ACCOUNT_EMAIL_VERIFICATION", "mandatory")

from marketplace.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="marketplace-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# pytest-django runs every test with DEBUG off, as in production; the suite pays through the
# local test-mode gateway unless a test sets Stripe keys.
PAYMENTS_TEST_MODE_ALLOWED_IN_PRODUCTION = True
# Tests run their webhook receivers on this machine (pytest-django turns DEBUG off).
WEBHOOKS_ALLOW_LOCAL_TARGETS = True
