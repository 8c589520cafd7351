"""The offline prompt coach: what a prompt has and lacks, and what it should not carry.

Everything runs here; nothing is sent anywhere. Findings are codes with the text they cover;
the pages translate them.

Confidentiality: e-mail addresses, French phone numbers, IBANs (ISO 13616 mod-97), French
social-security numbers (NIR, with their key; Corsica's 2A/2B), SIREN and SIRET (Luhn), payment
cards (Luhn, 15 or 16 digits) and the names of clients the lead lists (case and accents aside).
Qualities: a task verb, context, an audience or role, an expected format, constraints,
examples, and a length neither too short nor too long.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
# a phone number stands alone: not the end of a longer run of digit groups (an IBAN's tail)
PHONE = re.compile(
    r"(?<![\d+])(?<![\dA-Z][\s.-])(?:\+33\s?|0033\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?![\s.-]?\d)"
)
IBAN = re.compile(
    r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?(?![A-Z0-9])"
)
NIR = re.compile(r"(?<!\d)[12]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2A|2B)\s?\d{3}\s?\d{3}\s?\d{2}(?!\d)")
DIGITS = re.compile(r"(?<!\d)(?<!\d[.,])\d(?:[\s-]?\d){8,18}(?!\d|[.,]\d)")


@dataclass(frozen=True)
class Finding:
    kind: str  # "email", "phone", "iban", "nir", "siren", "siret", "card", "client"
    value: str
    start: int


def luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    compact = text.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


def nir_valid(text: str) -> bool:
    compact = text.replace(" ", "").upper()
    body, key = compact[:13], compact[13:]
    body = body.replace("2A", "19").replace("2B", "18")
    return body.isdigit() and key.isdigit() and 97 - int(body) % 97 == int(key)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def confidential(text: str, clients: Iterable[str] = ()) -> list[Finding]:
    """Everything in `text` that should not go to an outside AI tool, in reading order."""
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match[str]) -> None:
        found.append(Finding(kind, match.group(), match.start()))
        taken.append(match.span())

    def free(match: re.Match[str]) -> bool:
        return all(match.end() <= a or match.start() >= b for a, b in taken)

    for match in EMAIL.finditer(text):
        add("email", match)
    for match in IBAN.finditer(text):
        if iban_valid(match.group()):
            add("iban", match)
    for match in NIR.finditer(text):
        if free(match) and nir_valid(match.group()):
            add("nir", match)
    for match in DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if not free(match):
            continue
        if len(digits) == 14 and luhn(digits):
            add("siret", match)
        elif len(digits) in (15, 16) and luhn(digits):
            add("card", match)
        elif len(digits) == 9 and luhn(digits):
            add("siren", match)
    for match in PHONE.finditer(text):
        if free(match):
            add("phone", match)
    plain = "".join((_plain(c) or c)[0] for c in text)  # one character for each of `text`
    for client in clients:
        pattern = re.compile(rf"(?<!\w){re.escape(_plain(client))}(?!\w)")
        for match in pattern.finditer(plain):
            found.append(Finding("client", text[match.start() : match.end()], match.start()))
    return sorted(found, key=lambda f: f.start)


VERBS = {
    "fr": "écris rédige résume résumer synthétise traduis traduire analyse analyser liste propose "
          "corrige reformule explique compare classe génère crée prépare rédiger écrire "
          "proposer lister identifie calcule vérifie",
    "en": "write draft summarise summarize translate analyse analyze list propose suggest correct "
          "rewrite explain compare classify generate create prepare identify calculate check",
}  # fmt: skip
CUES = {
    "context": ("contexte", "je travaille", "nous sommes", "notre entreprise", "dans le cadre",
                "context", "background", "i work", "we are", "our company"),
    "audience": ("tu es", "en tant que", "destiné", "pour un public", "à destination",
                 "lecteurs", "you are", "act as", "as a ", "audience", "for readers", "aimed at"),
    "format": ("tableau", "liste", "puces", "json", "format", "paragraphe", "sous forme",
               "table", "bullet", "paragraph", "markdown", "csv"),
    "constraints": ("ne pas", "sans ", "maximum", "au plus", "au moins", "pas plus", "limite",
                    "don't", "do not", "without", "at most", "at least", "no more than", "avoid",
                    "must"),
    "examples": ("par exemple", "exemple", "comme ceci", "e.g.", "for example", "for instance",
                 "such as", "example"),
}  # fmt: skip
SHORT, LONG = 8, 400  # words


@dataclass(frozen=True)
class Review:
    has: list[str]  # qualities found
    lacks: list[str]  # qualities missing
    words: int
    length: str  # "short", "long" or "fine"
    findings: list[Finding]


def review(text: str, clients: Sequence[str] = ()) -> Review:
    """What the prompt has and lacks (read with its confidential items left out: an address at
    "exemple.fr" is no example), and what it carries that it should not."""
    findings = confidential(text, clients)
    kept = list(text)
    for finding in findings:
        kept[finding.start : finding.start + len(finding.value)] = " " * len(finding.value)
    plain = _plain("".join(kept))
    words = re.findall(r"[\w'’-]+", plain)
    verbs = {_plain(v) for language in VERBS.values() for v in language.split()}
    has = []
    if any(w in verbs for w in words):
        has.append("task")
    for quality, cues in CUES.items():
        if any(re.search(rf"(?<!\w){re.escape(_plain(cue))}", plain) for cue in cues):
            has.append(quality)
    every = ["task", *CUES]
    length = "short" if len(words) < SHORT else "long" if len(words) > LONG else "fine"
    return Review(has, [q for q in every if q not in has], len(words), length, findings)
