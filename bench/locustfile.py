"""The simulated users of bench/load.py: employees self-assessing and taking the quiz, managers
reading their team and rating, the programme lead on dashboards and exports. Each arrives
signed in with an account and session bench/load.py prepared (LOAD_USERS names the file), then
acts with 1 to 3 seconds between actions (LOAD_THINK="min,max" to change). Requests are named
by action, the names bench/load.py reports."""

from __future__ import annotations

import json
import os
import random
import re
from http.cookiejar import Cookie
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from locust import FastHttpUser, between, task

# Seconds a person waits between actions (bench/load.py --think).
THINK = tuple(float(n) for n in os.environ.get("LOAD_THINK", "1,3").split(","))
ACCOUNTS = json.loads(Path(os.environ["LOAD_USERS"]).read_text(encoding="utf-8"))
TAKEN = {role: count() for role in ("employee", "manager", "lead")}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SELF_LINK = re.compile(r'href="(/assessments/campaigns/\d+/people/\d+/self/)"')
RATE_LINK = re.compile(r'href="(/assessments/campaigns/\d+/people/\d+/manager/)"')
LEVELS = re.compile(r'name="(level_[^"]+)" value="(\d)"')
ITEM = re.compile(r'name="item" value="(\d+)"')
PLAN_LINK = re.compile(r'href="(/development/plans/\d+/)"')
PLAN_STEP = re.compile(r'name="action" value="(discussed|sign)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
CHOICE = re.compile(r'name="choice" value="(\d+)"')


class Person(FastHttpUser):
    """A signed-in person. geventhttpclient (locust's FastHttpUser), not python-requests: the
    load generator shares the server's two cores, and it takes half the CPU a request (1.2 ms
    against 2.4 ms, 200 users and about 3,300 requests each way, 2026-12-06)."""

    abstract = True
    role = "employee"
    wait_time = between(*THINK)

    def on_start(self) -> None:
        names = ACCOUNTS[self.role]
        self.username = names[next(TAKEN[self.role]) % len(names)]
        # Signed in already (bench/load.py made the session and times sign-in apart).
        session = ACCOUNTS["sessions"][self.username]
        self.client.cookiejar.set_cookie(Cookie(
            0, "sessionid", session, None, False, urlsplit(self.host).hostname or "", False,
            False, "/", True, False, None, False, None, None, {},
        ))  # fmt: skip

    def post_form(self, url: str, page: str, data: dict[str, Any], name: str,
                  allow_redirects: bool = True) -> Any:  # fmt: skip
        """The response to the form of `page` posted to `url` (redirects followed unless
        `allow_redirects` is false); nothing is posted when the page itself failed (its
        failure is already counted)."""
        token = _csrf(page)
        if not token:
            return None
        return self.client.post(url, data={**data, "csrfmiddlewaretoken": token}, name=name,
                                allow_redirects=allow_redirects)  # fmt: skip


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    return found.group(1) if found else ""


def _levels(page: str) -> dict[str, str]:
    """One level per competence of an assessment form (a random one of those offered)."""
    offered: dict[str, list[str]] = {}
    for name, value in LEVELS.findall(page):
        offered.setdefault(name, []).append(value)
    return {name: random.choice(values) for name, values in offered.items()}


class Employee(Person):
    weight = 7
    role = "employee"

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="employee: home")

    @task(2)
    def self_assess(self) -> None:
        overview = self.client.get("/assessments/", name="employee: assessment page").text
        link = SELF_LINK.search(overview)
        if link is None:
            return
        form = self.client.get(link.group(1), name="employee: self-assessment form").text
        data = {**_levels(form), "save": "1"}
        self.post_form(link.group(1), form, data, "employee: save self-assessment")

    @task(2)
    def quiz(self) -> None:
        overview = self.client.get("/assessments/", name="employee: assessment page").text
        started = self.post_form("/assessments/quiz/start/", overview, {},
                                 "employee: start quiz", allow_redirects=False)  # fmt: skip
        where = started.headers.get("Location", "") if started is not None else ""
        if "/quiz/" not in where:  # no quiz to take (the person has none open)
            return
        # The redirect followed by hand: FastHttpUser gives the URL asked, not where it led.
        response = self.client.get(where, name="employee: quiz question")
        for _ in range(3):
            page = (response.text if response is not None else None) or ""
            item, choices = ITEM.search(page), CHOICE.findall(page)
            if item is None or not choices:
                return
            data = {"item": item.group(1), "choice": random.choice(choices)}
            response = self.post_form(where, page, data, "employee: answer quiz")

    @task(1)
    def development(self) -> None:
        self.client.get("/development/", name="employee: development page")


class Manager(Person):
    weight = 2
    role = "manager"

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="manager: home")

    @task(2)
    def rate(self) -> None:
        team = self.client.get("/assessments/", name="manager: team page").text
        links = RATE_LINK.findall(team)
        if not links:
            return
        url = random.choice(links)
        form = self.client.get(url, name="manager: rating form").text
        self.post_form(url, form, {**_levels(form), "save": "1"}, "manager: save rating")

    @task(1)
    def plans(self) -> None:
        """The team's plans; one of them moved on a step (marked discussed, or signed)."""
        listing = self.client.get("/development/plans/", name="manager: plans").text
        links = PLAN_LINK.findall(listing)
        if not links:
            return
        url = random.choice(links)
        page = self.client.get(url, name="manager: plan").text
        step, version = PLAN_STEP.search(page), VERSION.search(page)
        if step and version:
            self.post_form(f"{url}action/", page,
                           {"action": step.group(1), "version": version.group(1)},
                           f"manager: plan {step.group(1)}")  # fmt: skip

    @task(1)
    def gaps(self) -> None:
        self.client.get("/development/gaps/team/", name="manager: team gaps")


class Lead(Person):
    weight = 1
    role = "lead"

    @task(2)
    def overview(self) -> None:
        self.client.get("/insights/", name="lead: dashboards")

    @task(1)
    def heatmap(self) -> None:
        self.client.get("/insights/heatmap/", name="lead: heatmap")

    @task(1)
    def campaigns(self) -> None:
        self.client.get("/assessments/campaigns/", name="lead: campaigns")

    @task(1)
    def export(self) -> None:
        self.client.get("/people/export.xlsx", name="lead: people export")


# The floor (LOAD_FLOOR, run first by bench/load.py): the same users, weights, think time and
# number of requests per action, every request the cheapest signed-in page (7 queries: session,
# user, person, roles and the page's own). What this machine serves bounds what any page could.
FLOOR_URL = "/account/emails/"
FLOOR_REQUESTS = {  # requests per action in the classes above (redirects followed count)
    "employee": {"home": (3, 1), "self-assess": (2, 4), "quiz": (2, 9), "development": (1, 1)},
    "manager": {"home": (2, 1), "rate": (2, 4), "plans": (1, 4), "gaps": (1, 1)},
    "lead": {"dashboards": (2, 1), "heatmap": (1, 1), "campaigns": (1, 1), "export": (1, 1)},
}


def _floor_task(name: str, requests: int) -> Any:
    def act(user: Person) -> None:
        for _ in range(requests):
            user.client.get(FLOOR_URL, name=f"floor: {name}")

    return act


def _floor_class(base: type[Person]) -> type[Person]:
    tasks = {_floor_task(f"{base.role} {action}", n): weight
             for action, (weight, n) in FLOOR_REQUESTS[base.role].items()}  # fmt: skip
    return type(f"Floor{base.__name__}", (Person,),
                {"weight": base.weight, "role": base.role, "tasks": tasks})  # fmt: skip


if os.environ.get("LOAD_FLOOR"):
    FloorEmployee, FloorManager, FloorLead = (_floor_class(c) for c in (Employee, Manager, Lead))
    Employee.abstract = Manager.abstract = Lead.abstract = True  # only the floor's users run
