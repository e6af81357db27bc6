"""Reading settings from the environment, and refusing unsafe production settings."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
MIN_SECRET_KEY_LENGTH = 50


def env_bool(name: str, *, default: bool) -> bool:
    """Return a boolean variable; anything but a recognised spelling is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int) -> int:
    """Return a positive integer variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name}={raw!r}: must not be negative")
    return value


def env_list(name: str, *, default: list[str]) -> list[str]:
    """Return a comma-separated list variable."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def load_secret_key(var_dir: Path, *, production: bool) -> str:
    """Return ``OPENCEN_SECRET_KEY``; outside production, create and keep one under ``var_dir``.

    A generated key lives in ``var/secret_key`` (mode 0600) so sessions survive a restart of the
    demo.  Production never generates one: the variable must be set.
    """
    key = os.environ.get("OPENCEN_SECRET_KEY", "")
    if key or production:
        return key
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    path.write_text(key)
    path.chmod(0o600)
    return key


def check_production(
    *,
    secret_key: str,
    debug: bool,
    allowed_hosts: list[str],
    database_engine: str,
    explicit_hosts: bool,
) -> None:
    """Raise ``ImproperlyConfigured`` listing every unsafe production setting at once."""
    problems: list[str] = []
    if len(secret_key) < MIN_SECRET_KEY_LENGTH or len(set(secret_key)) < 5:
        problems.append(
            f"OPENCEN_SECRET_KEY must be set to a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters"
        )
    if debug:
        problems.append("OPENCEN_DEBUG must be off in production")
    if not explicit_hosts or not allowed_hosts or "*" in allowed_hosts:
        problems.append("OPENCEN_ALLOWED_HOSTS must list the public host names (no '*')")
    if "sqlite" in database_engine:
        problems.append("DATABASE_URL must point at PostgreSQL in production")
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production mode: " + "; ".join(problems) + "."
        )
