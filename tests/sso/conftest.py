"""A real OpenID provider (django-oidc-provider, tests/sso/provider/) started beside Tremplin,
its users, and Tremplin set up to use it as an administrator would: through the environment."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
import requests

from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "tremplin" / "settings.py"
CLIENT_ID, CLIENT_SECRET = "tremplin", "tremplin-client-secret"
PASSWORD = "provider-pw"
# The provider's users: user name → (e-mail, directory claims: employee number, groups).
USERS = {
    "ana": ("ana.martin@example.fr", {"employee_number": "", "groups": ["tremplin-managers"]}),
    "cle": ("c.leroy@perso.example", {"employee_number": "E-042", "groups": []}),
    "bob": ("bob@elsewhere.example", {"groups": ["tremplin-leads"]}),
    "dan": ("dan.gone@example.fr", {}),
    "eve": ("eve@example.fr", {"email_verified": False}),
}


@dataclass
class Provider:
    url: str  # http://127.0.0.1:PORT

    @property
    def issuer(self) -> str:
        return self.url + "/openid"

    def environment(self, **more: str) -> dict[str, str]:
        """What an administrator sets for Tremplin to use this provider."""
        return {
            "TREMPLIN_OIDC_ISSUER": self.issuer,
            "TREMPLIN_OIDC_CLIENT_ID": CLIENT_ID,
            "TREMPLIN_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "TREMPLIN_OIDC_PROVIDER_NAME": "Test IdP",
            "TREMPLIN_OIDC_SCOPES": "openid email profile employee groups",
            "TREMPLIN_OIDC_EMPLOYEE_ID_CLAIM": "employee_number",
            "TREMPLIN_OIDC_ROLES": "tremplin-managers=manager,tremplin-leads=lead",
            **more,
        }


@pytest.fixture(scope="session")
def provider(live_server, tmp_path_factory) -> Provider:
    """The provider on its own port and database; its client sends people back to Tremplin's
    live server (the browser) and to the test client's `testserver`."""
    data = tmp_path_factory.mktemp("provider")
    port = free_port()
    found = Provider(f"http://127.0.0.1:{port}")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.sso.provider.settings",
           "PROVIDER_DATA_DIR": str(data), "PROVIDER_SITE_URL": found.url}  # fmt: skip
    env.pop("DATABASE_URL", None)
    seed = {
        "users": [
            {
                "username": name,
                "password": PASSWORD,
                "email": email,
                "first_name": name.title(),
                "last_name": "Provider",
                "directory": directory,
            }
            for name, (email, directory) in USERS.items()
        ],
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uri": "\n".join(
                [f"{live_server.url}/sso/callback/", "http://testserver/sso/callback/"]
            ),
            "post_logout_redirect_uri": f"{live_server.url}/login/",
        },
    }
    (data / "seed.json").write_text(json.dumps(seed))
    subprocess.run([sys.executable, "-m", "tests.sso.provider.seed", str(data / "seed.json")],
                   cwd=ROOT, env=env, check=True, capture_output=True)  # fmt: skip
    log = (data / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(found.issuer + "/.well-known/openid-configuration",
                                timeout=2).ok:  # fmt: skip
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data / "server.log").read_text())
            time.sleep(0.1)
        yield found
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def configure(settings, environment: dict[str, str]) -> None:
    """Tremplin's settings as `environment` makes them: settings.py is run again with it, and
    every setting it changes is applied (pytest-django undoes them after the test)."""
    before = runpy.run_path(str(SETTINGS_FILE))
    with mock.patch.dict(os.environ, environment):
        after = runpy.run_path(str(SETTINGS_FILE))
    for name, value in after.items():
        if name.isupper() and value != before.get(name):
            setattr(settings, name, value)


@pytest.fixture
def sso(settings, provider) -> Provider:
    """Tremplin using the provider."""
    configure(settings, provider.environment())
    return provider
