"""The audit log: every change, every read of a page about one person by someone else, every
download and sign-in, written as requests are answered; read and exported by the lead and the
data-protection officer alone. Every URL with an argument is classified (personal or not)."""

from __future__ import annotations

import csv
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from tests.conftest import make_user
from tremplin.accountability.audit import NOT_PERSONAL, PERSONAL_PAGES, AuditLog
from tremplin.accountability.holdings import HOLDINGS
from tremplin.accountability.models import Action, AuditEntry
from tremplin.people.models import Person, Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _names(resolver: URLResolver, namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace
            found += _names(p, inner or namespace)
        elif isinstance(p, URLPattern) and p.name:
            found.append((f"{namespace}:{p.name}" if namespace else p.name, str(p.pattern)))
    return found


def test_every_url_with_an_argument_is_classified_personal_or_not():
    urls = {
        n: pattern for n, pattern in _names(get_resolver()) if not n.startswith(("admin:", "api:"))
    }  # every API call is logged: tests/api
    with_arguments = {n for n, pattern in urls.items() if "<" in pattern}
    assert with_arguments - set(PERSONAL_PAGES) - NOT_PERSONAL == set()
    assert (set(PERSONAL_PAGES) | NOT_PERSONAL) - set(urls) == set()  # no stale name
    for name, (argument, _through) in PERSONAL_PAGES.items():
        assert f":{argument}>" in urls[name], name


def test_every_model_naming_a_person_is_held_with_its_text_cleared_or_kept():
    user_model, held = get_user_model(), {h.model: h for h in HOLDINGS}
    for model in apps.get_models():
        if not model.__module__.startswith("tremplin") or model is Person:
            continue
        naming = {
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in (Person, user_model)
        }
        naming |= {f.name for f in model._meta.many_to_many if f.related_model is Person}
        if not naming:
            continue
        label = model._meta.label
        assert label in held, f"{label} names a person: add it to holdings.HOLDINGS"
        holding = held[label]
        paths = {holding.owner, *holding.also}
        assert naming <= {p.split("__")[0] for p in paths if p}, label
        texts = {
            f.name
            for f in model._meta.concrete_fields
            if f.get_internal_type() in ("TextField", "JSONField", "BinaryField")
        }
        assert texts <= set(holding.clear) | set(holding.keep) | set(holding.hide), (
            f"{label}: say whether {texts - set(holding.clear) - set(holding.keep)} is cleared"
        )


def test_changes_reads_of_others_and_downloads_are_logged_not_ones_own_reads(client, org):
    seller = org.people["seller_a"]
    client.force_login(org.users["employee"])
    client.get(f"/people/{seller.pk}/")  # their own page: not logged
    assert not AuditEntry.objects.filter(action=Action.READ).exists()
    client.force_login(org.users["lead"])
    assert client.get(f"/people/{seller.pk}/").status_code == 200
    read = AuditEntry.objects.get(action=Action.READ)
    assert (read.actor, read.person_id, read.path, read.status) == (
        "Hr Test",
        seller.pk,
        f"/people/{seller.pk}/",
        200,
    )
    client.get("/people/export.csv")
    export = AuditEntry.objects.get(action=Action.EXPORT)
    assert export.detail.endswith(".csv") and export.view == "people:export"
    client.post(
        "/governance/charter/action/",
        {"action": "new", "title_fr": "C", "title_en": "C", "body_fr": "T", "body_en": "T"},
    )
    write = AuditEntry.objects.get(action=Action.WRITE)
    assert (write.method, write.path, write.user_id) == (
        "POST",
        "/governance/charter/action/",
        org.users["lead"].pk,
    )
    client.force_login(org.users["manager"])  # a refused change is logged too, with its answer
    client.post("/governance/charter/action/", {"action": "new"})
    assert AuditEntry.objects.filter(action=Action.WRITE, status=403).count() == 1


def test_sign_in_and_out_are_logged_once_each(client, org):
    client.post("/login/", {"username": "employee", "password": "pw-employee"})
    client.post("/logout/")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [Action.SIGN_IN, Action.SIGN_OUT]


def test_nothing_is_logged_when_turned_off(client, org, settings):
    settings.TREMPLIN_AUDIT_LOG = False
    middleware = AuditLog(lambda request: None)  # type: ignore[arg-type,return-value]
    assert middleware.on is False


def test_the_lead_and_the_officer_read_filter_and_export_the_log_others_cannot(client, org):
    officer = make_user("dpo", None, Role.DATA_PROTECTION)
    seller = org.people["seller_a"]
    client.force_login(org.users["lead"])
    client.get(f"/people/{seller.pk}/")
    client.get(f"/people/{org.people['accountant'].pk}/")
    for who in ("manager", "employee", "cse", "executive"):
        client.force_login(org.users[who])
        assert client.get("/data-protection/audit/").status_code == 403, who
        assert client.get("/data-protection/audit/export.csv").status_code == 403, who
    client.force_login(officer)
    page = client.get(f"/data-protection/audit/?person={seller.pk}").content.decode()
    assert f"/people/{seller.pk}/" in page and f"/people/{org.people['accountant'].pk}/" not in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/data-protection/audit/export.csv?person={seller.pk}").content.decode(
                    "utf-8-sig"
                )
            ),
            delimiter=";",
        )
    )
    assert rows[0][:3] == ["When", "Who", "Action"] and len(rows) == 2
    assert rows[1][1] == "Hr Test" and rows[1][2] == "personal page read"
    sheet = load_workbook(
        io.BytesIO(client.get("/data-protection/audit/export.xlsx").content)
    ).active
    assert sheet.max_row >= 3  # two reads and the officer's CSV download
    assert client.get("/data-protection/audit/export.exe").status_code == 404
    assert client.get("/data-protection/audit/?start=not-a-date").status_code == 200


def test_the_application_s_details_are_shown_in_words_in_the_reader_s_language(client, org):
    from tremplin.accountability.details import coded

    for detail in (coded("sso-login"), coded("sso-roles", "+manager -employee"),
                   coded("token", "tpl_ab12"), coded("retention", "named_answers", 1200),
                   "people-2026-12-01.xlsx", "@unknown|x"):  # fmt: skip
        AuditEntry.objects.create(action=Action.WRITE, detail=detail)
    client.force_login(org.users["lead"])
    page = client.get("/data-protection/audit/").content.decode()
    for said in ("login made at the first single sign-on",
                 "roles from the provider&#x27;s groups: +manager -employee",
                 "through the API token tpl_ab12…", "people-2026-12-01.xlsx",
                 "@unknown|x"):  # fmt: skip
        assert said in page, said
    assert "@sso-login" not in page and "@retention" not in page
    client.cookies["django_language"] = "fr"
    sheet = client.get("/data-protection/audit/export.csv").content.decode("utf-8-sig")
    assert "connexion créée à la première authentification unique" in sheet
    assert any(f"1{gap}200 supprimés" in sheet for gap in ("", " ", "\u202f", "\xa0"))
    assert "@token" not in sheet and "jeton d’API tpl_ab12…" in sheet


def test_the_personal_data_pdf_puts_the_application_s_details_in_words(org):
    from django.utils import translation

    from tremplin.accountability import rights
    from tremplin.accountability.details import coded

    field = AuditEntry._meta.get_field("detail")
    with translation.override("fr"):
        assert rights._shown(field, coded("sso-login")) == (
            "connexion créée à la première authentification unique"
        )
        assert rights._shown(field, "people.xlsx") == "people.xlsx"
