"""Shared personas: a small organisation with one account per role."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from tremplin.people.models import JobFamily, OrgUnit, Person, Role, RoleAssignment, Site
from tremplin.people.services import refresh_reporting_paths, refresh_unit_paths

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + live_server
CHROMIUM = Path("/usr/bin/chromium")
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences",
                     "django_db_serialized_rollback", "live_server"}  # fmt: skip
DEMO_FIXTURES = {"_demo_store"}  # the demo company, tests/insights/conftest.py: built once a run


def pytest_collection_modifyitems(config, items):
    """The tests on the demo company first, in their order; the others after, in theirs.

    pytest-xdist hands each process one half of the list: the first process builds the demo
    at once while the second starts on tests that do not need it, and finds it built (one
    process builds, the others wait for it: both used to meet it early and one waited).

    With TREMPLIN_DATABASE_TESTS_ONLY set (make test's second database), only the tests
    that touch the database run: the others (compute, subprocesses on a file of their own)
    gave their answer in the first pass already."""
    items.sort(key=lambda item: DEMO_FIXTURES.isdisjoint(getattr(item, "fixturenames", ())))
    if not os.environ.get("TREMPLIN_DATABASE_TESTS_ONLY"):
        return
    keep, drop = [], []
    for item in items:
        touches = set(getattr(item, "fixturenames", ())) & DATABASE_FIXTURES
        (keep if touches or item.get_closest_marker("django_db") else drop).append(item)
    config.hook.pytest_deselected(items=drop)
    items[:] = keep


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background tasks run at once in tests (the database queue is tested on its own).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def no_audit_remembered():
    """Each test audits afresh: an answer `compute.tied` kept from another test (the order
    varies in parallel) would hide what a planted change does."""
    from tremplin.compute import tied

    tied._ANSWERS.clear()


@pytest.fixture(autouse=True)
def no_language_left_active():
    """A test that activates a language leaves it to no other (the order varies in parallel)."""
    yield
    translation.deactivate()


@dataclass
class Org:
    users: dict[str, User]
    people: dict[str, Person]


def make_user(username: str, person: Person | None, *roles: str) -> User:
    user = User.objects.create_user(username, password="pw-" + username)
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


@pytest.fixture
def org(db: None) -> Org:
    """CEO -> sales director (manager) -> team lead -> two sellers; a separate finance team.

    Accounts: lead (HR), executive (CEO), manager (sales director), employee (a seller),
    ambassador (finance), cse (finance), plus `peer_manager` who leads finance.
    """
    site = Site.objects.create(code="LYON", name="Lyon")
    family = JobFamily.objects.create(code="SALES", name_fr="Ventes", name_en="Sales")
    top = OrgUnit.objects.create(code="DG", name="Direction générale", site=site)
    sales = OrgUnit.objects.create(code="COM", name="Direction commerciale", parent=top)
    finance = OrgUnit.objects.create(code="FIN", name="Finance", parent=top)
    refresh_unit_paths()

    def person(key: str, unit: OrgUnit, manager: Person | None) -> Person:
        return Person.objects.create(
            employee_id=key.upper(),
            first_name=key.title(),
            last_name="Test",
            org_unit=unit,
            job_family=family,
            site=site,
            manager=manager,
        )

    people: dict[str, Person] = {}
    people["ceo"] = person("ceo", top, None)
    people["hr"] = person("hr", top, people["ceo"])
    people["sales_director"] = person("sales_director", sales, people["ceo"])
    people["team_lead"] = person("team_lead", sales, people["sales_director"])
    people["seller_a"] = person("seller_a", sales, people["team_lead"])
    people["seller_b"] = person("seller_b", sales, people["team_lead"])
    people["finance_head"] = person("finance_head", finance, people["ceo"])
    people["accountant"] = person("accountant", finance, people["finance_head"])
    people["controller"] = person("controller", finance, people["finance_head"])
    refresh_reporting_paths()
    users = {
        "lead": make_user("lead", people["hr"], Role.LEAD, Role.EMPLOYEE),
        "executive": make_user("executive", people["ceo"], Role.EXECUTIVE, Role.EMPLOYEE),
        "manager": make_user("manager", people["sales_director"], Role.MANAGER, Role.EMPLOYEE),
        "employee": make_user("employee", people["seller_a"], Role.EMPLOYEE),
        "ambassador": make_user("ambassador", people["accountant"], Role.AMBASSADOR),
        "cse": make_user("cse", people["controller"], Role.WORKS_COUNCIL, Role.EMPLOYEE),
        "peer_manager": make_user("peer_manager", people["finance_head"], Role.MANAGER),
    }
    for p in people.values():
        p.refresh_from_db()
    return Org(users=users, people=people)


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> Path:
    """A directory every test process of this run shares (what is built once a run)."""
    base = tmp_path_factory.getbasetemp()
    # Under pytest-xdist each process has its own directory inside the run's: share the run's.
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def migrated(run_dir):
    """(a SQLite file built by the real migrations, its schema): made once a run."""
    from tests.schema import migrated_sqlite

    return migrated_sqlite(run_dir)


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium (the system's: nothing is downloaded), started once per test process."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium)")
        pytest.skip("SKIPPED: /usr/bin/chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        found = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                # A navigation keeps its frame rather than building a new one per document:
                # the same pages drawn the same way, at 27 % less of Chromium's CPU per page
                # load (20 loads, three runs each) and 7-14 % less time for part of the
                # accessibility sweep (two runs each).
                "--disable-features=RenderDocument",
            ],
        )
        yield found
        found.close()


@pytest.fixture
def browser(chromium):
    """The test process's Chromium; every context (cookies, storage and pages of their own) a
    test opens is closed after it, passed or failed."""
    yield chromium
    for context in chromium.contexts:
        context.close()


@pytest.fixture
def browser_page(browser):
    return browser.new_page(locale="fr-FR")


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, and Django sending to it."""
    from tests.smtp import Inbox, free_port

    inbox = Inbox(free_port())
    inbox.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", inbox.port, 5
    yield inbox
    inbox.stop()


@pytest.fixture
def english(client):
    """The test client and the test itself in English (the installation's language is French)."""
    from django.utils import translation

    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield
