"""The help network drawn, in a real browser: the lead opens the network of a company of some
seventy people in eight units, each naming up to three colleagues, and sees one circle a
person and the ambassador ringed, fitting the screen on a desktop and on a phone, in French and
in English, with nothing axe-core's WCAG rules object to."""

import numpy as np
import pytest

from tests.a11y import violations
from tests.browsing import in_language, screenshot, signed_in
from tests.voice.surveying import open_survey
from tremplin.people.models import OrgUnit, Person
from tremplin.people.services import refresh_unit_paths
from tremplin.voice import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BOTH = [("fr", 1280), ("en", 390), ("en", 1280), ("fr", 390)]
TEAMS = ["Marketing", "Achats", "Juridique", "Logistique", "Support client"]
FIRST = ["Alice", "Bruno", "Chloé", "David", "Emma", "Farid", "Gaëlle", "Hugo", "Inès", "Jules",
         "Karim", "Léa"]  # fmt: skip


def _company(org) -> tuple[int, int]:
    """Five teams of twelve and the fixture's people; each names up to three colleagues, mostly
    of their own team, some the finance's ambassador. The survey, and how many people it draws
    (those who named or were named)."""
    top = OrgUnit.objects.get(parent=None)
    people = list(org.people.values())
    for t, team in enumerate(TEAMS):
        unit = OrgUnit.objects.create(code=f"T{t}", name=team, parent=top)
        people += [Person.objects.create(employee_id=f"T{t}-{i}", first_name=first,
                                         last_name=team.split()[0], org_unit=unit)
                   for i, first in enumerate(FIRST)]  # fmt: skip
    refresh_unit_paths()
    survey = open_survey("help_network")
    rng = np.random.default_rng(3)
    ambassador = org.people["accountant"]
    drawn = set()
    for person in people:
        mates = [p for p in people if p.org_unit_id == person.org_unit_id and p != person]
        named = {mates[i] for i in rng.choice(len(mates), min(2, len(mates)), replace=False)}
        if rng.random() < 0.3:
            named.add(ambassador if person != ambassador else people[0])
        if rng.random() < 0.1:  # nobody to ask
            named = set()
        services.answer(survey, person, {"go_to": [p.pk for p in named], "help_others": "often",
                                         "ambassador": "maybe"})  # fmt: skip
        drawn |= {person.pk, *(p.pk for p in named)}
    return survey.pk, len(drawn)


@pytest.mark.parametrize(("lang", "width"), BOTH)
def test_the_lead_sees_the_help_network_drawn(browser, live_server, org, lang, width):
    t = in_language(lang)
    survey, people = _company(org)
    context, page, _asked = signed_in(browser, live_server, "lead", "pw-lead", lang, width)
    page.goto(live_server.url + f"/voice/surveys/{survey}/network/")
    page.get_by_role("heading", name=t("Who turns to whom")).wait_for()
    drawing = page.locator("svg.network[role=img]")
    assert f" {people} " in drawing.get_attribute("aria-label")
    assert page.locator("svg.network circle").count() == people
    assert page.locator("svg.network circle.ambassador").count() == 1
    box = page.locator("svg.network").bounding_box()
    assert box is not None and box["width"] <= width and box["height"] > 200
    screenshot(page, width, f"network-drawn-{lang}-{width}")
    assert not violations(page)
    context.close()
