"""Django settings, read from the environment.

Every variable is documented in README.md ("Configuration") and docs/configuration.md; a test
checks that each ``OPENCEN_*`` name read here appears there.  Development defaults make
``make demo`` work with nothing configured; ``OPENCEN_ENV=production`` refuses to start with
any unsafe value (see :func:`opencen.core.config.check_production`).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from opencen.core.config import check_production, env_bool, env_int, env_list, load_secret_key

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("OPENCEN_VAR_DIR", Path.cwd() / "var")).resolve()

ENVIRONMENT = os.environ.get("OPENCEN_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("OPENCEN_DEBUG", default=not PRODUCTION)
SECRET_KEY = load_secret_key(VAR_DIR, production=PRODUCTION)
ALLOWED_HOSTS = env_list("OPENCEN_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("OPENCEN_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "opencen.core",
    "opencen.accounts",
    "opencen.reference",
    "opencen.audit",
    "opencen.seizures",
    "opencen.analytics",
    "opencen.targeting",
    "opencen.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opencen.accounts.middleware.AccountStateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "opencen.urls"
WSGI_APPLICATION = "opencen.wsgi.application"
ASGI_APPLICATION = "opencen.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opencen.web.context.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'opencen.sqlite3'}",
        conn_max_age=env_int("OPENCEN_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL with synchronous=NORMAL: a commit appends to the WAL without an fsync (the WAL is
    # synced at checkpoints). The database stays consistent after a crash; a power loss may
    # lose the last commits. PostgreSQL, required in production, is not affected.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: it compiles a plan for tens of milliseconds whenever a search is estimated
    # expensive, which on this workload (pages, counts up to a cap) costs more than it saves.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["opencen.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "opencen.accounts.passwords.CharacterClassValidator"},
]

# Sessions: absolute lifetime, renewed on activity, closed with the browser.
SESSION_COOKIE_AGE = env_int("OPENCEN_SESSION_SECONDS", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Account safety.
OPENCEN_LOGIN_MAX_FAILURES = env_int("OPENCEN_LOGIN_MAX_FAILURES", 5)
OPENCEN_LOCKOUT_MINUTES = env_int("OPENCEN_LOCKOUT_MINUTES", 15)
OPENCEN_IP_MAX_FAILURES = env_int("OPENCEN_IP_MAX_FAILURES", 50)
OPENCEN_INACTIVE_DAYS = env_int("OPENCEN_INACTIVE_DAYS", 90)
OPENCEN_INACTIVE_WARNING_DAYS = env_int("OPENCEN_INACTIVE_WARNING_DAYS", 14)
OPENCEN_TOKEN_MAX_DAYS = env_int("OPENCEN_TOKEN_MAX_DAYS", 365)
OPENCEN_IMPORT_MAX_MB = env_int("OPENCEN_IMPORT_MAX_MB", 50)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Background work: one task API (django-tasks).  "database" queues tasks in the database for
# `opencen serve` (which runs a worker thread) or separate `opencen db_worker` processes;
# "immediate" runs them inline (tests).
TASKS_BACKEND = os.environ.get("OPENCEN_TASKS", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }.get(TASKS_BACKEND, TASKS_BACKEND)
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
WHITENOISE_USE_FINDERS = DEBUG
STATIC_ROOT = Path(os.environ.get("OPENCEN_STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("OPENCEN_MEDIA_ROOT", VAR_DIR / "media"))

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("OPENCEN_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("OPENCEN_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OPENCEN_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "INFO"}},
}

if PRODUCTION:
    check_production(
        secret_key=SECRET_KEY,
        debug=DEBUG,
        allowed_hosts=ALLOWED_HOSTS,
        database_engine=DATABASES["default"]["ENGINE"],
        explicit_hosts="OPENCEN_ALLOWED_HOSTS" in os.environ,
    )
