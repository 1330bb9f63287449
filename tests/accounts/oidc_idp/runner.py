"""Starting and stopping the test OpenID provider (``serve.py``) from a test fixture."""

import contextlib
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "idp-mat-khau-1"
CLIENT_ID = "kpi-congvu"
CLIENT_SECRET = "bi-mat-thu-nghiem"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_provider(data: Path, usernames, redirect_uris):
    """Runs the provider with these users (password ``PASSWORD``) and this client; yields its
    discovery document."""
    port = _free_port()
    config = data / "config.json"
    config.write_text(
        json.dumps(
            {
                "users": [
                    {"username": name, "password": PASSWORD, "email": f"{name}@example.vn"}
                    for name in usernames
                ],
                "client": {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uris": list(redirect_uris),
                },
            }
        )
    )
    log_path = data / "idp.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                str(ROOT / "tests/accounts/oidc_idp/serve.py"),
                str(port),
                str(data),
                str(config),
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}/openid/.well-known/openid-configuration"
            deadline = time.monotonic() + 180
            while True:
                try:
                    answer = requests.get(base, timeout=2)
                    if answer.ok:
                        break
                except requests.ConnectionError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "the test OpenID provider did not start: " + log_path.read_text()
                    )
                time.sleep(0.5)
            yield answer.json()
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def oidc_settings(discovery) -> dict:
    """Our settings for this provider (for ``override_settings``)."""
    return {
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": discovery["authorization_endpoint"],
        "OIDC_OP_TOKEN_ENDPOINT": discovery["token_endpoint"],
        "OIDC_OP_USER_ENDPOINT": discovery["userinfo_endpoint"],
        "OIDC_OP_JWKS_ENDPOINT": discovery["jwks_uri"],
        "OIDC_RP_SIGN_ALGO": "RS256",
        "KPI_OIDC_MATCH_CLAIM": "preferred_username",
        "KPI_OIDC_MATCH_FIELD": "official_id",
        "KPI_OIDC_ENABLED": True,
    }
