"""TOTP second factor (RFC 6238): secrets encrypted at rest, codes usable once."""

from __future__ import annotations

import base64
import hashlib
import time

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from opencen.accounts.models import User

ISSUER = "opencen"
STEP_SECONDS = 30


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"opencen-totp:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def new_secret() -> str:
    return pyotp.random_base32()


def seal(secret: str) -> str:
    """Encrypt a base32 TOTP secret for storage."""
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    """Decrypt a stored TOTP secret ('' if it cannot be read, e.g. after a key change)."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except (InvalidToken, ValueError):
        return ""


def provisioning_uri(email: str, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """An inline SVG QR code of the provisioning URI (drawn here: nothing leaves the server)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, dark="#111"))


def matching_step(secret: str, code: str, *, now: float | None = None) -> int | None:
    """The time step whose code equals ``code`` (allowing one step of clock drift), or None."""
    code = "".join(code.split())
    if not secret or not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if totp.at(step * STEP_SECONDS) == code:
            return step
    return None


def current_code(user: User) -> str:
    """The code an authenticator would show now (demo helper and tests)."""
    return pyotp.TOTP(unseal(user.totp_secret)).now()
