"""Prepare the provider's database: `python -m tests.sso.provider.seed SEED.json`, with
PROVIDER_DATA_DIR and PROVIDER_SITE_URL set. SEED.json holds `users` (username, password,
email, first_name, last_name, and directory claims) and `client` (client_id, client_secret,
redirect_uri, post_logout_redirect_uri)."""

import json
import os
import sys
from pathlib import Path

import django


def seed(path: Path) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    wanted = json.loads(path.read_text())
    call_command("migrate", verbosity=0)
    call_command("creatersakey")
    assert RSAKey.objects.exists(), "creatersakey made no key"  # it prints its errors only
    directory = {}
    for u in wanted["users"]:
        User.objects.create_user(u["username"], email=u["email"], password=u["password"],
                                 first_name=u["first_name"], last_name=u["last_name"])  # fmt: skip
        directory[u["username"]] = u.get("directory", {})
    (Path(os.environ["PROVIDER_DATA_DIR"]) / "directory.json").write_text(json.dumps(directory))
    c = wanted["client"]
    client = Client.objects.create(
        name="Tremplin",
        client_type="confidential",
        client_id=c["client_id"],
        client_secret=c["client_secret"],
        jwt_alg="RS256",
        require_consent=False,
        _redirect_uris=c["redirect_uri"],
        _post_logout_redirect_uris=c.get("post_logout_redirect_uri", ""),
    )
    client.response_types.add(ResponseType.objects.get(value="code"))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sso.provider.settings")
    django.setup()
    seed(Path(sys.argv[1]))
