"""The idea box: alike ideas found while typing, one vote per person, statuses with a reason
to decline, before/after measurements that give the gain and feed the impact KPIs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from tremplin.compute.ideas import Measured, similar, time_saved
from tremplin.voice import ideas
from tremplin.voice.idea_models import Idea, IdeaStatus, Vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_alike_texts_are_found_across_accents_and_word_forms():
    documents = [
        "Résumer les comptes rendus de réunion",
        "Traduire les fiches produit",
        "Générer des réponses aux appels d'offres",
        "Classer les factures fournisseurs",
    ]
    found = similar("resume automatique des comptes-rendus de reunions", documents)
    assert found and found[0][0] == 0
    assert [i for i, _s in similar("traduction des fiches produits", documents)][:1] == [1]
    assert similar("planning des congés d'été", documents) == []


def test_submitting_an_idea_suggests_alike_ones_while_typing(client, org):
    Idea.objects.create(
        title="Résumer les comptes rendus",
        problem="Les comptes rendus de réunion prennent une heure.",
        author=org.people["hr"],
    )
    client.force_login(org.users["employee"])
    page = client.get("/voice/ideas/alike/", {"title": "resume des comptes-rendus"})
    assert "Résumer les comptes rendus" in page.content.decode()
    assert "Résumer" not in client.get("/voice/ideas/alike/", {"title": "congés"}).content.decode()
    client.post(
        "/voice/ideas/new/",
        {
            "title": "Traduire les fiches",
            "problem": "Long.",
            "expected_hours": "6",
            "sensitivity": "internal",
            "risk": "low",
        },
    )
    idea = Idea.objects.get(title="Traduire les fiches")
    assert idea.author == org.people["seller_a"] and idea.status == IdeaStatus.SUBMITTED


def test_one_vote_per_person_never_on_one_s_own_idea(client, org):
    idea = Idea.objects.create(title="Idea", problem="P", author=org.people["seller_a"])
    url = f"/voice/ideas/{idea.pk}/action/"
    client.force_login(org.users["manager"])
    client.post(url, {"action": "vote"})
    page = client.post(url, {"action": "vote"}, follow=True).content.decode()
    assert "You have already voted for this idea." in page
    client.force_login(org.users["employee"])  # the author
    page = client.post(url, {"action": "vote"}, follow=True).content.decode()
    assert "You cannot vote for your own idea." in page
    idea.refresh_from_db()
    assert idea.votes_count == 1 == Vote.objects.filter(idea=idea).count()
    ideas.move(idea, IdeaStatus.DEPLOYED)
    with pytest.raises(ideas.IdeaError, match="Votes are closed"):
        ideas.vote(idea, org.people["ceo"])


def test_declining_needs_a_reason_and_only_the_lead_or_owner_steers(client, org):
    idea = Idea.objects.create(title="Idea", problem="P", author=org.people["seller_a"])
    url = f"/voice/ideas/{idea.pk}/action/"
    client.force_login(org.users["employee"])
    page = client.post(url, {"action": "status", "status": "deployed"}, follow=True)
    assert "You may not do this on this idea." in page.content.decode()
    client.force_login(org.users["lead"])
    page = client.post(url, {"action": "status", "status": "declined"}, follow=True)
    assert "Say why the idea is declined" in page.content.decode()
    client.post(url, {"action": "status", "status": "declined", "reason": "Already in the ERP"})
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.DECLINED and idea.declined_because == "Already in the ERP"


def test_measurements_give_the_gain_its_interval_and_feed_the_impact_kpis(client, org):
    idea = Idea.objects.create(
        title="Idea", problem="P", author=org.people["seller_a"], status=IdeaStatus.DEPLOYED
    )
    day = datetime.date(2026, 11, 2)
    for metric, phase, mean, sd in (
        ("minutes", "before", "30", "6"),
        ("minutes", "after", "10", "4"),
        ("volume", "after", "120", None),
        ("errors", "before", "8", None),
        ("errors", "after", "3", None),
    ):
        ideas.measure(
            idea,
            metric=metric,
            phase=phase,
            mean=Decimal(mean),
            observations=25,
            sd=None if sd is None else Decimal(sd),
            on=day,
            by=None,
        )
    found = ideas.measured(idea, Decimal(45))
    assert found.hours_per_month == pytest.approx(40)  # (30 − 10) min × 120 / 60
    assert found.value_per_year == pytest.approx(40 * 12 * 45)
    assert found.low is not None and found.low < 40 < (found.high or 0)
    assert found.error_points == pytest.approx(-5)
    impact = ideas.impact()
    assert impact["hours_per_month"] == pytest.approx(40) and impact["measured"] == 1
    for bad, message in (
        ({"observations": 0}, "at least one observation"),
        ({"mean": Decimal(-1)}, "cannot be negative"),
        ({"metric": "errors", "mean": Decimal(120)}, "between 0 and 100"),
    ):
        fields = {
            "metric": "minutes",
            "phase": "after",
            "mean": Decimal(5),
            "observations": 3,
            "sd": None,
            "on": day,
            "by": None,
        } | bad
        with pytest.raises(ideas.IdeaError, match=message):
            ideas.measure(idea, **fields)


def test_the_interval_of_the_gain_is_welch_s():
    gain = time_saved(Measured(30, 25, 6), Measured(10, 25, 4), 120)
    error = (36 / 25 + 16 / 25) ** 0.5 * 120 / 60
    assert gain.low == pytest.approx(40 - 1.96 * error) and gain.hours_per_month == 40
    assert time_saved(Measured(30, 25), Measured(10, 25), 120).low is None


def test_only_the_author_gives_consent_to_a_success_story(client, org):
    idea = Idea.objects.create(
        title="Idea", problem="P", author=org.people["seller_a"], status=IdeaStatus.DEPLOYED
    )
    url = f"/voice/ideas/{idea.pk}/action/"
    client.force_login(org.users["lead"])
    client.post(url, {"action": "story", "story": "It saved a day a week.", "story_consent": "on"})
    idea.refresh_from_db()
    assert idea.story == "It saved a day a week." and not idea.story_consent
    client.force_login(org.users["employee"])
    client.post(url, {"action": "story", "story": idea.story, "story_consent": "on"})
    idea.refresh_from_db()
    assert idea.story_consent


def test_success_stories_appear_in_the_box_only_with_consent(client, org):
    idea = Idea.objects.create(
        title="Tri des e-mails",
        problem="P",
        author=org.people["seller_a"],
        status=IdeaStatus.DEPLOYED,
        story="Une heure par jour gagnée.",
    )
    client.force_login(org.users["manager"])
    assert "Une heure par jour gagnée." not in client.get("/voice/ideas/").content.decode()
    idea.story_consent = True
    idea.save()
    assert "Une heure par jour gagnée." in client.get("/voice/ideas/").content.decode()


def test_a_measurement_refused_says_by_each_field_what_it_expects_and_stays_open(client, org):
    idea = Idea.objects.create(title="Idea", problem="P", author=org.people["seller_a"])
    client.force_login(org.users["lead"])
    page = client.post(
        f"/voice/ideas/{idea.pk}/action/",
        {"action": "measure", "mean": "-10", "observations": "0", "measured_on": "2026-11-02"},
    ).content.decode()
    assert '<details id="measure" open>' in page
    assert "Choose what was measured." in page
    assert "Choose whether it was measured before or after." in page
    assert "A mean cannot be negative: give 0 or more." in page
    assert "A mean rests on at least one observation: give 1 or more." in page
    assert "Constraint" not in page and "This field is required." not in page
    assert 'value="-10"' in page and 'value="0"' in page  # what was typed, kept
    assert "What was measured" in page and "Save the measurement" in page
    assert not idea.measurements.exists()


def test_a_new_idea_cannot_expect_a_negative_gain(client, org):
    client.force_login(org.users["employee"])
    page = client.post(
        "/voice/ideas/new/",
        {"title": "Trier", "problem": "Long.", "expected_hours": "-5", "sensitivity": "internal",
         "risk": "low"},
    )  # fmt: skip
    assert "Give the hours the idea would save, 0 or more" in page.content.decode()
    assert not Idea.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Idea.objects.create(title="T", problem="P", expected_hours=Decimal(-5))
