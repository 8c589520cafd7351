"""An attacker who reads everything a survey stored (every column, the order rows are kept in,
and on PostgreSQL the transaction that wrote each row) and tries to say which invited person
wrote each anonymous response. Each strategy pairs responses with people who answered; the
tests count how many pairs are right."""

from __future__ import annotations

import uuid

from django.db import connection

from tremplin.voice.models import Survey


def _ordered(table: str, columns: str, survey: Survey) -> list[tuple[object, ...]]:
    """Rows in the order the database keeps them (PostgreSQL: physical place; SQLite: rowid)."""
    order = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE survey_id = %s ORDER BY {order}",
                       [survey.pk])  # fmt: skip
        return list(cursor.fetchall())


def guesses(survey: Survey, answered: list[int]) -> dict[str, dict[str, int]]:
    """{strategy: {response id: person id}}. `answered`: who answered, as the participation
    records show it (the attacker knows it while the survey is open; afterwards, from the
    invitations' order, the e-mails, or any other source)."""
    responses = [str(uuid.UUID(str(r[0]))) for r in _ordered("voice_response", "id", survey)]
    invitations = [int(str(r[0])) for r in _ordered("voice_invitation", "person_id", survey)]
    # who answered, in the order their participation rows were last written
    order_written = [p for p in invitations if p in answered][-len(responses) :]
    found = {
        "rows in the same order": dict(zip(responses, order_written, strict=False)),
        "sorted ids against order of answer": dict(zip(sorted(responses), answered, strict=False)),
        "rows against order of answer": dict(zip(responses, answered, strict=False)),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT id::text, xmin::text FROM voice_response WHERE survey_id = %s",
                           [survey.pk])  # fmt: skip
            written = {str(uuid.UUID(r)): x for r, x in cursor.fetchall()}
            cursor.execute("SELECT person_id, xmin::text FROM voice_invitation "
                           "WHERE survey_id = %s", [survey.pk])  # fmt: skip
            by_transaction = {xmin: person for person, xmin in cursor.fetchall()}
        found["same transaction"] = {
            r: by_transaction[x] for r, x in written.items() if x in by_transaction
        }
    return found
