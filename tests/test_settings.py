"""Settings from the environment: safe defaults, and refusal of unsafe production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from opencen.core.config import check_production, env_bool, env_int

ROOT = Path(__file__).resolve().parents[1]
GOOD_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("OPENCEN_") and k not in dropped
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "opencen.settings"
    return subprocess.run(
        [sys.executable, "-m", "opencen.cli", *args],
        env=clean,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_unsafe_settings_naming_each() -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        check_production(
            secret_key="short",
            debug=True,
            allowed_hosts=["*"],
            database_engine="django.db.backends.sqlite3",
            explicit_hosts=True,
        )
    message = str(refused.value)
    for name in ("OPENCEN_SECRET_KEY", "OPENCEN_DEBUG", "OPENCEN_ALLOWED_HOSTS", "DATABASE_URL"):
        assert name in message


def test_production_accepts_safe_settings() -> None:
    check_production(
        secret_key=GOOD_KEY,
        debug=False,
        allowed_hosts=["cen.example.org"],
        database_engine="django.db.backends.postgresql",
        explicit_hosts=True,
    )


def test_bad_values_are_configuration_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENCEN_X", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="OPENCEN_X"):
        env_bool("OPENCEN_X", default=False)
    monkeypatch.setenv("OPENCEN_X", "ten")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("OPENCEN_X", 1)


def test_production_without_configuration_does_not_start(tmp_path: Path) -> None:
    result = _run({"OPENCEN_ENV": "production", "OPENCEN_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "Refusing to start in production mode" in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _run(
        {
            "OPENCEN_ENV": "production",
            "OPENCEN_SECRET_KEY": GOOD_KEY,
            "OPENCEN_ALLOWED_HOSTS": "cen.example.org",
            "OPENCEN_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:5432/none",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
