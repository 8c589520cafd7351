"""What the audit log costs a page: the same database served twice at once, one server with
the log on and one with it off (`TREMPLIN_AUDIT_LOG=off`), the same requests sent to both in
turns (random order within each pair, one client, warm connections), as the programme lead:
a person's page, their development page, their assessment page (each read writes a line of
the log), and a change of their e-mail choice (a write). Used by bench/governance.py on its
100,000-person company; the overhead is the p95 with the log over the p95 without, minus one,
with a 95 % interval over the rounds.
"""

from __future__ import annotations

import os
import random
import tempfile
from contextlib import ExitStack
from typing import Any
from urllib.parse import urlencode

import numpy as np

from bench.company import PASSWORD
from bench.dashboards import fetch, login, server

PAGES = ("/people/{pk}/", "/development/people/{pk}/", "/assessments/people/{pk}/")
USERNAME = "bench-lead"


def lead_account() -> None:
    """The programme lead the requests are sent as (a person of the company, the lead role)."""
    from django.contrib.auth import get_user_model

    from tremplin.people.models import Person, Role, RoleAssignment

    user, _created = get_user_model().objects.get_or_create(username=USERNAME)
    user.set_password(PASSWORD)
    user.save()
    person = Person.objects.filter(user=None).order_by("pk").first()
    if person is not None and not hasattr(user, "person"):
        person.user = user
        person.save(update_fields=["user"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.LEAD)


def _server(stack: ExitStack, url: str, audit: str) -> int:
    previous = os.environ.get("TREMPLIN_AUDIT_LOG")
    os.environ["TREMPLIN_AUDIT_LOG"] = audit  # read by the server process at its start
    try:
        port, _pid = stack.enter_context(
            server(url, stack.enter_context(tempfile.TemporaryDirectory()))
        )
    finally:
        if previous is None:
            os.environ.pop("TREMPLIN_AUDIT_LOG", None)
        else:
            os.environ["TREMPLIN_AUDIT_LOG"] = previous
    return port


def overhead(
    url: str, people: list[int], rounds: int = 6, per_round: int = 40, seed: int = 7
) -> dict[str, Any]:
    """Each round: `per_round` requests of each kind to each server, paired."""
    import http.client

    from tremplin.accountability.models import AuditEntry

    lead_account()
    rng = random.Random(seed)
    written_before = AuditEntry.objects.count()
    with ExitStack() as stack:
        ports = {"on": _server(stack, url, "on"), "off": _server(stack, url, "off")}
        cookies = {side: login(port, USERNAME) for side, port in ports.items()}
        links = {
            side: http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            for side, port in ports.items()
        }
        tokens = {
            side: dict(p.split("=", 1) for p in cookie.split("; "))["csrftoken"]
            for side, cookie in cookies.items()
        }
        kinds = [*PAGES, "POST /account/emails/"]
        times: dict[str, dict[str, list[list[float]]]] = {
            side: {kind: [] for kind in kinds} for side in ports
        }

        def ask(side: str, kind: str, pk: int) -> float:
            if kind.startswith("POST"):
                body = urlencode(
                    {"csrfmiddlewaretoken": tokens[side], "essential_only": "on" if pk % 2 else ""}
                )
                answer, _h = fetch(
                    links[side],
                    "/account/emails/",
                    cookies[side],
                    "POST",
                    body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
                assert answer.status == 302, answer.status
            else:
                answer, _h = fetch(links[side], kind.format(pk=pk), cookies[side])
                assert answer.status == 200, (kind, answer.status)
            return answer.ms

        for kind in kinds:  # warm both servers (templates, caches, connections)
            for side in ports:
                for pk in people[:5]:
                    ask(side, kind, pk)
        for _round in range(rounds):
            for side in ports:
                for kind in kinds:
                    times[side][kind].append([])
            for kind in kinds:
                for pk in rng.sample(people, per_round):
                    order = ["on", "off"]
                    rng.shuffle(order)
                    for side in order:
                        times[side][kind][-1].append(ask(side, kind, pk))
    written = AuditEntry.objects.count() - written_before

    def p95(values: list[float]) -> float:
        return float(np.percentile(values, 95))

    every = {side: [ms for kind in kinds for r in times[side][kind] for ms in r] for side in ports}
    per_round = [
        100
        * (
            p95([ms for k in kinds for ms in times["on"][k][r]])
            / p95([ms for k in kinds for ms in times["off"][k][r]])
            - 1
        )
        for r in range(rounds)
    ]
    spread = 1.96 * float(np.std(per_round, ddof=1)) / np.sqrt(rounds) if rounds > 1 else 0.0
    mean = float(np.mean(per_round))
    return {
        "audit_log_overhead_pct": round(100 * (p95(every["on"]) / p95(every["off"]) - 1), 1),
        "audit_log_overhead_ci95": [round(mean - spread, 1), round(mean + spread, 1)],
        "audit_p95_ms": {side: round(p95(every[side]), 1) for side in ports},
        "audit_p95_ms_by_page": {
            kind: {
                side: round(p95([ms for r in times[side][kind] for ms in r]), 1) for side in ports
            }
            for kind in kinds
        },
        "audit_requests": sum(len(v) for v in every.values()),
        "audit_lines_written": written,
    }
