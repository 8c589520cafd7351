"""Whom single sign-on signs in, from the provider's claims alone (no provider needed): the
person with the employee id or the e-mail, with their login made once and then reused, roles
following the groups the mapping names; anyone else refused with a reason and nothing written."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from tests.sso.conftest import configure
from tremplin.accountability.details import coded
from tremplin.accountability.models import AuditEntry
from tremplin.people.models import Person, Role, RoleAssignment, roles_of
from tremplin.people.sso import Refused, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The refusals are read in English here (the installation's language is French)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def sso_settings(settings):
    configure(settings, {
        "TREMPLIN_OIDC_ISSUER": "https://id.example.fr/realms/acme",
        "TREMPLIN_OIDC_CLIENT_ID": "tremplin",
        "TREMPLIN_OIDC_CLIENT_SECRET": "secret",
        "TREMPLIN_OIDC_EMPLOYEE_ID_CLAIM": "employee_number",
        "TREMPLIN_OIDC_ROLES": "tremplin-leads=lead,tremplin-managers=manager",
    })  # fmt: skip


def person(employee_id: str, email: str, **more) -> Person:
    return Person.objects.create(employee_id=employee_id, first_name=employee_id.title(),
                                 last_name="Test", email=email, **more)  # fmt: skip


def claims(**given):
    return {"sub": "1", "email_verified": True, **given}


def test_the_email_names_the_person_who_gets_a_login_without_password():
    ana = person("A1", "Ana.Martin@example.fr")
    user = sign_in(claims=claims(email="ana.martin@example.fr"))
    ana.refresh_from_db()
    assert ana.user == user
    assert not user.has_usable_password()
    assert roles_of(user) == {Role.EMPLOYEE}
    line = AuditEntry.objects.get(person_id=ana.pk, detail=coded("sso-login"))
    with translation.override("en"):
        assert line.shown_detail == "login made at the first single sign-on"


def test_the_employee_id_claim_names_the_person_whatever_the_email():
    person("A1", "someone.else@example.fr")
    cle = person("E-042", "c.leroy@example.fr")
    user = sign_in(claims=claims(email="c.leroy@perso.example", employee_number="E-042"))
    assert user.person == cle


def test_an_employee_id_that_matches_nobody_falls_back_to_the_email():
    ana = person("A1", "ana@example.fr")
    assert sign_in(claims=claims(email="ana@example.fr", employee_number="X-9")).person == ana


def test_the_existing_login_is_reused_and_keeps_its_password(org):
    seller = org.people["seller_a"]
    seller.email = "seller.a@example.fr"
    seller.save()
    users = User.objects.count()
    assert sign_in(claims=claims(email="seller.a@example.fr")) == org.users["employee"]
    assert User.objects.count() == users
    assert org.users["employee"].check_password("pw-employee")  # the password still works


def test_groups_give_and_take_back_the_roles_the_mapping_names_only():
    ana = person("A1", "ana@example.fr")
    user = sign_in(claims=claims(email="ana@example.fr", groups=["tremplin-managers", "x"]))
    assert roles_of(User.objects.get(pk=user.pk)) == {Role.EMPLOYEE, Role.MANAGER}
    RoleAssignment.objects.create(user=user, role=Role.AMBASSADOR)  # given in Tremplin
    sign_in(claims=claims(email="ana@example.fr", groups="tremplin-leads"))
    assert roles_of(User.objects.get(pk=user.pk)) == {Role.EMPLOYEE, Role.AMBASSADOR, Role.LEAD}
    sign_in(claims=claims(email="ana@example.fr"))  # in no group any more
    assert roles_of(User.objects.get(pk=user.pk)) == {Role.EMPLOYEE, Role.AMBASSADOR}
    assert AuditEntry.objects.filter(person_id=ana.pk, detail__contains="-lead").exists()


def test_without_a_mapping_roles_are_left_as_set_in_tremplin(settings):
    settings.TREMPLIN_OIDC_ROLES = {}
    person("A1", "ana@example.fr")
    user = sign_in(claims=claims(email="ana@example.fr", groups=["tremplin-leads"]))
    assert roles_of(user) == {Role.EMPLOYEE}


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (claims(email="nobody@example.fr"), "No one in Tremplin has the e-mail address"),
        (claims(email="nobody@example.fr", employee_number="Z-1"), "or the employee id Z-1"),
        (claims(email="ana@example.fr", email_verified=False), "has not verified"),
        (claims(), "did not say who you are"),
    ],
)
def test_someone_tremplin_does_not_know_is_refused_and_nothing_written(given, said):
    person("A1", "ana@example.fr")
    with pytest.raises(Refused, match=said):
        sign_in(claims=given)
    assert not User.objects.exists()
    assert not RoleAssignment.objects.exists()


def test_a_person_who_left_is_refused():
    person("A1", "dan@example.fr", active=False)
    with pytest.raises(Refused, match="you have left"):
        sign_in(claims=claims(email="dan@example.fr", groups=["tremplin-leads"]))
    assert not User.objects.exists()


def test_a_disabled_login_is_refused_and_its_roles_left(org):
    seller = org.people["seller_a"]
    Person.objects.filter(pk=seller.pk).update(email="seller.a@example.fr")
    User.objects.filter(pk=org.users["employee"].pk).update(is_active=False)
    with pytest.raises(Refused, match="login is disabled"):
        sign_in(claims=claims(email="seller.a@example.fr", groups=["tremplin-leads"]))
    assert roles_of(User.objects.get(pk=org.users["employee"].pk)) == {Role.EMPLOYEE}


def test_of_two_records_with_one_email_the_active_one_is_chosen_two_active_are_refused():
    person("OLD", "ana@example.fr", active=False)
    new = person("NEW", "ana@example.fr")
    assert sign_in(claims=claims(email="ana@example.fr")).person == new
    person("TWIN", "ana@example.fr")
    with pytest.raises(Refused, match="Several people"):
        sign_in(claims=claims(email="ana@example.fr"))


def test_an_unknown_role_in_the_mapping_is_a_configuration_error(settings):
    settings.TREMPLIN_OIDC_ROLES = {"tremplin-bosses": ["boss"]}
    person("A1", "ana@example.fr")
    with pytest.raises(ImproperlyConfigured, match="unknown roles boss"):
        sign_in(claims=claims(email="ana@example.fr"))
