"""The outbox's MIME bytes read back by the email package as a mail client would."""

from __future__ import annotations

import email
import email.policy

import pytest

from tremplin.notifications.mime import message_bytes

TEXT = "Bonjour Zoé,\n\n.\nUne ligne qui commence par un point, une tabulation\tet une fin  \n"
HTML = "<p>Bonjour <b>Zoé</b></p>\n" + "<span>très longue ligne</span>" * 80
ICS = "BEGIN:VCALENDAR\r\nSUMMARY:M1 – Découvrir l'IA\r\nEND:VCALENDAR\r\n"


def parsed(**overrides: str) -> email.message.EmailMessage:
    fields = {"sender": "Équipe Tremplin <rh@example.fr>", "to": "zoe@example.fr",
              "subject": "Session : Découvrir l’IA le 12 décembre", "text": TEXT, "html": HTML,
              "ics": ICS} | overrides  # fmt: skip
    raw = message_bytes(**fields)
    assert raw.isascii() and all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def content(part: email.message.EmailMessage) -> str:
    """A part's text with the line ends a client reads (the wire's CRLF as LF)."""
    return str(part.get_content()).replace("\r\n", "\n")


def test_parts_and_headers_decode_to_what_was_written():
    message = parsed()
    assert message["Subject"] == "Session : Découvrir l’IA le 12 décembre"
    assert message["From"].addresses[0].display_name == "Équipe Tremplin"
    assert message["To"].addresses[0].addr_spec == "zoe@example.fr"
    assert message["Message-ID"] and message["Date"] and message["MIME-Version"] == "1.0"
    assert message.get_content_type() == "multipart/mixed"
    alternative, calendar = message.get_payload()
    text, html = alternative.get_payload()
    assert content(text) == TEXT and content(html) == HTML
    assert calendar.get_content_type() == "text/calendar"
    assert calendar.get_param("method") == "REQUEST" and calendar.get_filename() == "session.ics"
    assert content(calendar) == ICS.replace("\r\n", "\n")


def test_without_a_calendar_file_the_message_is_the_two_alternatives():
    message = parsed(ics="")
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.get_payload()] == ["text/plain", "text/html"]


def test_a_line_break_in_the_subject_cannot_add_a_header():
    message = parsed(subject="Bonjour\r\nBcc: everyone@example.fr")
    assert message["Bcc"] is None
    assert message["Subject"] == "Bonjour Bcc: everyone@example.fr"


@pytest.mark.parametrize("subject", ["plain", "é" * 100, "日本語のテキスト" * 5])
def test_long_and_foreign_subjects_come_back_whole(subject):
    assert parsed(subject=subject)["Subject"] == subject


def test_content_that_holds_the_boundary_drawn_gets_another(monkeypatch):
    draws = iter([0, 0, 1, 2, 3])  # the first boundary drawn, twice, is in the text
    monkeypatch.setattr("tremplin.notifications.mime.random.getrandbits", lambda _bits: next(draws))
    text = f"--=_tremplin_{0:024x}\nthe end\n--=_tremplin_{0:024x}--\n"
    assert content(parsed(text=text).get_payload()[0].get_payload()[0]) == text
