"""Starts the test identity provider: ``python serve.py PORT DATA_DIR CONFIG_JSON``.

CONFIG_JSON: ``{"users": [{"username", "password", "email"}], "client": {"client_id",
"client_secret", "redirect_uris": [...]}}``. Migrates a fresh SQLite database, makes the
signing key, the users and the client, then serves on 127.0.0.1:PORT until killed."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))


def main():
    port, data_dir, config_path = sys.argv[1:4]
    os.environ["IDP_PORT"] = port
    os.environ["IDP_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.accounts.oidc_idp.settings"
    import django

    django.setup()
    from oidc_provider.models import Client, ResponseType

    from django.contrib.auth.models import User
    from django.core.management import call_command

    config = json.loads(Path(config_path).read_text())
    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    for entry in config["users"]:
        user = User.objects.create_user(entry["username"], entry.get("email", ""))
        user.set_password(entry["password"])
        user.save()
    spec = config["client"]
    client = Client.objects.create(
        name="KPI Công vụ",
        client_type="confidential",
        client_id=spec["client_id"],
        client_secret=spec["client_secret"],
        jwt_alg="RS256",
        require_consent=False,
        _redirect_uris="\n".join(spec["redirect_uris"]),
        _scope="openid email profile",
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main()
