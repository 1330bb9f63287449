"""Activation codes kept for printing (issue 47): a batch that runs in the background keeps
the codes it made, encrypted with a key derived from ``SECRET_KEY`` (Fernet: AES-128-CBC with
an HMAC), readable only through the batch's own pages by the person who ran it. The stored
hash (``ActivationCode.code_hash``) stays the only thing sign-in checks."""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken

from django.conf import settings


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"kpi-activation-slips:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(codes: dict[int, str]) -> str:
    if not codes:
        return ""
    plain = json.dumps({str(k): v for k, v in codes.items()}).encode()
    return _fernet().encrypt(plain).decode()


def unseal(sealed: str) -> dict[str, str]:
    """user id (str) → code; empty when nothing is sealed or the key changed."""
    if not sealed:
        return {}
    try:
        return json.loads(_fernet().decrypt(sealed.encode()))
    except (InvalidToken, ValueError):
        return {}
