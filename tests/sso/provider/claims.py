"""What the provider says about each of its users: the standard claims from Django's user, and
the directory's own (employee id, groups, whether the e-mail was verified) from the JSON file
the test run writes (PROVIDER_DATA_DIR/directory.json, by user name)."""

import json
import os
from pathlib import Path

from oidc_provider.lib.claims import ScopeClaims


def directory(username: str) -> dict:
    entries = json.loads((Path(os.environ["PROVIDER_DATA_DIR"]) / "directory.json").read_text())
    return entries.get(username, {})


def userinfo(claims: dict, user) -> dict:
    claims["email"] = user.email
    claims["email_verified"] = directory(user.username).get("email_verified", True)
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    return claims


class DirectoryClaims(ScopeClaims):
    """Scopes `employee` (claim `employee_number`) and `groups` (claim `groups`)."""

    info_employee = ("Employee number", "Your employee number.")
    info_groups = ("Groups", "The groups you belong to.")

    def scope_employee(self) -> dict:
        return {"employee_number": directory(self.user.username).get("employee_number")}

    def scope_groups(self) -> dict:
        return {"groups": directory(self.user.username).get("groups")}
