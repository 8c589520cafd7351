"""What an e-mail is and why it was not sent, and what happened to a wave, read in words in the
reader's language (a person's data page and PDF showed `session_reminder`, `session cancelled`,
`override`)."""

import re
from pathlib import Path

import pytest
from django.utils import timezone, translation

from tremplin.accountability.rights import sections
from tremplin.notifications.labels import KINDS, REASONS
from tremplin.notifications.models import Message
from tremplin.notifications.outbox import SUBJECTS
from tremplin.rollout.models import Wave, WaveEvent

ROOT = Path(__file__).resolve().parent.parent.parent / "tremplin"
# Where the reasons for not sending are written.
WRITERS = ["notifications/outbox.py", "notifications/events.py", "voice/services.py",
           "rollout/communications.py", "governance/services.py"]  # fmt: skip
WRITTEN = re.compile(r'(?:return|else|dropped =|_drop_unsent\(\w+,) "([a-z][a-z ]+)"')


def test_every_kind_of_e_mail_has_its_words():
    assert set(KINDS) == set(SUBJECTS)


def test_every_reason_written_has_its_words():
    found = {m for path in WRITERS for m in WRITTEN.findall((ROOT / path).read_text())}
    assert len(found) >= 12, found
    assert found <= set(REASONS), found - set(REASONS)


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "kind", "why", "wave"), [
    ("fr", "rappel d’une session de formation", "la session a été annulée",
     "ouverte malgré ses critères"),
    ("en", "reminder of a training session", "the session was cancelled",
     "opened despite its gates"),
])  # fmt: skip
def test_a_persons_data_names_the_e_mail_and_why_it_was_not_sent(org, lang, kind, why, wave):
    person = org.people["seller_a"]
    WaveEvent.objects.create(wave=Wave.objects.create(name="Pilote"), by=org.users["employee"],
                             kind="override")  # fmt: skip
    _message(person, kind="session_reminder", dropped="session cancelled")
    with translation.override(lang):
        found = {s.fields[0].model: s.shown[0] for s in sections(person) if s.values}
        row, event = found[Message], found[WaveEvent]
    assert row["kind"] == kind and row["dropped"] == why
    assert event["kind"] == wave


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "sent", "dropped"), [
    ("fr", "envoyé", "non envoyé : le plan a été signé entre-temps"),
    ("en", "sent", "not sent: the plan was signed meanwhile"),
])  # fmt: skip
def test_my_e_mails_say_what_became_of_each(client, org, lang, sent, dropped):
    person = org.people["seller_a"]
    _message(person, kind="plan_to_sign", sent_at=timezone.now())
    _message(person, kind="plan_to_sign", dropped="plan signed")
    client.cookies["django_language"] = lang
    client.force_login(org.users["employee"])
    page = client.get("/account/emails/").content.decode()
    assert f"<td>{sent}</td>" in page  # a status, not "envoyé le" left hanging
    assert f"<td>{dropped}</td>" in page


def _message(person, **fields) -> Message:
    return Message.objects.create(person=person, to="a@example.fr", subject="Objet", text="…",
                                  html="…", due_at=timezone.now(), **fields)  # fmt: skip
