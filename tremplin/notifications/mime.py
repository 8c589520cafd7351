"""An outbox message as the bytes handed to the SMTP server, written directly.

The email package builds the same structure but folds every header through its general
machinery and draws each boundary with a freshly compiled regular expression: building took
more time than talking to the server. The message here is simple and known in advance: a
subject of encoded words, the text and HTML alternatives and an optional calendar file, every
part UTF-8 in quoted-printable (7-bit clean, so no server extension is needed), CRLF line ends.
"""

from __future__ import annotations

import base64
import binascii
import random
from email.utils import formatdate, make_msgid

from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME

CRLF = "\r\n"


def message_bytes(*, sender: str, to: str, subject: str, text: str, html: str, ics: str = "",
                  method: str = "REQUEST") -> bytes:  # fmt: skip
    """The whole message: multipart/alternative (text, HTML), inside multipart/mixed with the
    calendar file (`method` REQUEST or CANCEL) when there is one."""
    alternative = _multipart("alternative", [_part("text/plain", text), _part("text/html", html)])
    if ics:
        calendar = _part(f"text/calendar; method={method}", ics,
                         'Content-Disposition: attachment; filename="session.ics"')  # fmt: skip
        body = _multipart("mixed", [alternative, calendar])
    else:
        body = alternative
    headers = [
        f"From: {sanitize_address(sender, 'utf-8')}",
        f"To: {sanitize_address(to, 'utf-8')}",
        f"Subject: {encoded_words(' '.join(subject.split()))}",  # no line break gets in
        f"Date: {formatdate()}",
        f"Message-ID: {make_msgid(domain=str(DNS_NAME))}",
        "MIME-Version: 1.0",
    ]
    return (CRLF.join(headers) + CRLF + body).encode("ascii")


def _part(content_type: str, content: str, *extra: str) -> str:
    """A leaf part: its headers, a blank line, its content in quoted-printable."""
    data = content.replace("\r\n", "\n").replace("\r", "\n").encode()
    encoded = binascii.b2a_qp(data, quotetabs=False, istext=True).decode("ascii")
    charset = "; charset=utf-8" if content_type.startswith("text/") else ""
    return CRLF.join([f"Content-Type: {content_type}{charset}",
                      "Content-Transfer-Encoding: quoted-printable", *extra, "",
                      encoded.replace("\n", CRLF)])  # fmt: skip


def _multipart(subtype: str, parts: list[str]) -> str:
    """Parts under a boundary drawn at random until none of them contains it."""
    while True:
        boundary = f"=_tremplin_{random.getrandbits(96):024x}"  # not a secret: only unique
        if not any(boundary in part for part in parts):
            break
    lines = [f'Content-Type: multipart/{subtype}; boundary="{boundary}"', ""]
    for part in parts:
        lines += [f"--{boundary}", part]
    lines += [f"--{boundary}--", ""]
    return CRLF.join(lines)


def encoded_words(value: str) -> str:
    """A header value as RFC 2047 encoded words (base64, whole characters, at most 45 bytes
    each, one per folded line), ASCII already."""
    if value.isascii():
        return value
    words: list[bytes] = []
    chunk = b""
    for character in value:
        raw = character.encode()
        if len(chunk) + len(raw) > 45:
            words.append(chunk)
            chunk = b""
        chunk += raw
    words.append(chunk)
    return (CRLF + " ").join(f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words)
