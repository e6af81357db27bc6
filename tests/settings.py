"""Test settings: the real settings, plus a tiny app with a shareable model for policy tests."""

from opencen.settings import *  # noqa: F403
from opencen.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.shareable_app"]

# Argon2 is the production hasher (tests/accounts/test_passwords.py checks it); a fast one here
# keeps building the cast cheap.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
