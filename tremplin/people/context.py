"""Template context: the signed-in user's roles and person, for navigation by role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tremplin.people.models import Role, person_of, roles_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    person = person_of(user)
    return {
        "my_roles": roles,
        "my_person": person,
        # What the menu depends on (base.html keeps one rendering of it per value).
        "menu_key": "-".join(sorted(roles))
        + (":person" if person is not None else "")
        + (":staff" if user.is_staff else ""),
        "is_lead": Role.LEAD in roles,
        "is_manager": Role.MANAGER in roles,
        "sees_data_protection": bool(roles & {Role.LEAD, Role.DATA_PROTECTION}),
        # The executive sponsor approves the roadmap; the works council follows it.
        "sees_roadmap": bool(roles & {Role.EXECUTIVE, Role.WORKS_COUNCIL})
        and Role.LEAD not in roles,
        "sees_governance": bool(roles & {Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL}),
        "sees_dashboards": bool(
            roles & {Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL, Role.MANAGER}
        ),
    }
