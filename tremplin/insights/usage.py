"""AI-tool usage written in batches, and read back per person for the figures.

`upsert_usage` is the one way usage reaches the database: the import of a vendor's usage report
(`usage_import`) and the REST API both call it. Every row is checked first; when one is bad
nothing is written and the report says which row, which field and why. A row already stored
for the same person (or team), tool and day is replaced, so sending the same rows again counts
them once.

On PostgreSQL each batch goes to a temporary table by binary COPY, then into the usage table
with one INSERT … ON CONFLICT; the next batch is checked in Python meanwhile (the database
works in a thread on the same connection and transaction), because at ten million rows the
checks and the writes each take about a minute. Elsewhere (SQLite) the same upsert runs as one
prepared statement over the rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.insights.usage_models import UsageDay, UsageSource
from tremplin.people.models import OrgUnit, Person

# The adoption KPIs look at the last 28 days (four whole weeks: no weekday counts twice).
WINDOW_DAYS = 28
BATCH = 100_000  # rows checked at once
WRITE_BATCH = 1_000_000  # rows written at once: each index page is visited fewer times
MAX_PROBLEMS = 1_000  # problems listed; beyond, only counted
OWNERS = ("employee_id", "email", "unit")
TOOL_LENGTH = UsageDay._meta.get_field("tool").max_length or 80
LARGEST = 2**31 - 1  # PositiveIntegerField
ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
INTEGER = re.compile(r"^\s*-?\d+\s*$")
TABLE = UsageDay._meta.db_table


@dataclass
class UsageProblem:
    index: int  # position of the row in what was sent (0 for the first)
    field: str  # "email", "day", "actions"…
    value: str
    message: str

    def __str__(self) -> str:
        return _("Row %(index)s, %(field)s “%(value)s”: %(message)s") % {
            "index": self.index,
            "field": self.field,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class UsageReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[UsageProblem] = field(default_factory=list)
    more_problems: int = 0  # problems beyond those listed
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.more_problems


@dataclass
class _Checked:
    """One batch's good rows as columns (a team row has person 0, a person's row unit 0)."""

    person: np.ndarray
    unit: np.ndarray
    tool: np.ndarray
    day: np.ndarray  # ordinals
    active: np.ndarray
    actions: np.ndarray
    index: np.ndarray  # position of each row in what was sent

    def __len__(self) -> int:
        return int(self.index.size)


def _text(value: Any) -> str:
    return "" if value is None else str(value)[:200]


class _Checker:
    """Turns rows into columns, reading people, teams and tools once."""

    def __init__(self, today: dt.date, report: UsageReport, most_problems: int) -> None:
        self.report = report
        self.most_problems = most_problems
        self.today = today.toordinal()
        self._by_id: dict[str, int] | None = None
        self._by_email: dict[str, int] | None = None
        self.shared: set[str] = set()  # e-mails held by more than one person
        self._units: dict[str, int] | None = None
        self.tools: dict[str, int] = {}
        self.tool_names: list[str] = []
        self.days: dict[Any, int] = {}

    # People and teams are read when a row first names one that way (a report names people by
    # e-mail, a connector by employee id): at 100,000 people each read is a tenth of a second.
    @property
    def by_id(self) -> dict[str, int]:
        if self._by_id is None:
            self._by_id = {e: pk for pk, e in Person.objects.values_list("pk", "employee_id")}
        return self._by_id

    @property
    def by_email(self) -> dict[str, int]:
        if self._by_email is None:
            self._by_email = {}
            for pk, email in Person.objects.exclude(email="").values_list("pk", "email"):
                key = email.strip().lower()
                if key in self._by_email:
                    self.shared.add(key)
                elif key:
                    self._by_email[key] = pk
        return self._by_email

    @property
    def units(self) -> dict[str, int]:
        if self._units is None:
            self._units = dict(OrgUnit.objects.values_list("code", "pk"))
        return self._units

    def problem(self, index: int, name: str, value: Any, message: str) -> None:
        if len(self.report.problems) < self.most_problems:
            self.report.problems.append(UsageProblem(index, name, _text(value), message))
        else:
            self.report.more_problems += 1

    def owner(self, index: int, row: Mapping[str, Any]) -> tuple[int, int] | None:
        """(person, unit) of a row, one of them 0."""
        given = [name for name in OWNERS if row.get(name) not in (None, "")]
        if len(given) != 1:
            self.problem(index, "/".join(OWNERS), "",
                         _("give exactly one of employee_id, email or unit"))  # fmt: skip
            return None
        name = given[0]
        value = row[name]
        key = str(value).strip()
        if name == "employee_id":
            found = self.by_id.get(key)
            if found is None:
                self.problem(index, name, value, _("no person has this employee id"))
                return None
            return found, 0
        if name == "email":
            key = key.lower()
            by_email = self.by_email  # read first: it finds the shared e-mails
            if key in self.shared:
                message = _("several people have this e-mail: give their employee id")
                self.problem(index, name, value, message)
                return None
            found = by_email.get(key)
            if found is None:
                self.problem(index, name, value, _("no person has this e-mail"))
                return None
            return found, 0
        found = self.units.get(key)
        if found is None:
            self.problem(index, name, value, _("no org unit has this code"))
            return None
        return 0, found

    def day(self, index: int, value: Any) -> int | None:
        if not isinstance(value, str | dt.date):
            self.problem(index, "day", value, _("expected a date as yyyy-mm-dd"))
            return None
        ordinal = self.days.get(value)
        if ordinal is None:
            if isinstance(value, dt.datetime):
                ordinal = value.date().toordinal()
            elif isinstance(value, dt.date):
                ordinal = value.toordinal()
            else:
                match = ISO_DAY.match(value.strip())
                try:
                    ordinal = dt.date(*map(int, match.groups())).toordinal() if match else 0
                except ValueError:
                    ordinal = 0
            self.days[value] = ordinal
        if not ordinal:
            self.problem(index, "day", value, _("expected a date as yyyy-mm-dd"))
            return None
        if ordinal > self.today:
            self.problem(index, "day", value, _("this day is in the future"))
            return None
        return ordinal

    def count(self, index: int, name: str, value: Any, most: int) -> int | None:
        if type(value) is int:
            number: int | None = value
        elif (isinstance(value, float) and value.is_integer()) or (
            isinstance(value, str) and INTEGER.match(value)
        ):
            number = int(value)
        else:
            number = None  # a fraction, a bool, text
        if number is None or number < 0:
            self.problem(index, name, value, _("expected a whole number of 0 or more"))
            return None
        if number > most:
            message = (_("expected 1 (the person used the tool that day) or 0") if most == 1
                       else _("expected at most %(most)s") % {"most": most})  # fmt: skip
            self.problem(index, name, value, message)
            return None
        return number

    def check(self, rows: list[Mapping[str, Any]], start: int) -> _Checked:
        """The good rows of a batch; each bad one becomes a problem of the report."""
        person: list[int] = []
        unit: list[int] = []
        tools: list[int] = []
        days: list[int] = []
        active: list[int] = []
        actions: list[int] = []
        index: list[int] = []
        tool_of = self.tools
        by_id = self.by_id if rows else {}
        day_of, today, empty = self.days, self.today, (None, "")
        for at, row in enumerate(rows, start):
            # The usual row (a person's employee id as stored, a tool and a day met before,
            # 0 or 1 active, a count) in one step; anything else below, which names problems.
            if type(row) is dict:
                employee_id, tool, day = row.get("employee_id"), row.get("tool"), row.get("day")
                used, done = row.get("active", 1), row.get("actions", 0)
                if (
                    type(employee_id) is str
                    and type(tool) is str
                    and type(day) is str
                    and type(used) is int
                    and type(done) is int
                    and row.get("email") in empty
                    and row.get("unit") in empty
                ):
                    found, code, ordinal = (
                        by_id.get(employee_id),
                        tool_of.get(tool),
                        day_of.get(day),
                    )
                    if (
                        found is not None
                        and code is not None
                        and ordinal
                        and ordinal <= today
                        and 0 <= used <= 1
                        and 0 <= done <= LARGEST
                        and employee_id
                    ):
                        person.append(found)
                        unit.append(0)
                        tools.append(code)
                        days.append(ordinal)
                        active.append(used)
                        actions.append(done)
                        index.append(at)
                        continue
            if not isinstance(row, Mapping):
                self.problem(at, "", "", _("expected an object with the row's fields"))
                continue
            owner = self.owner(at, row)
            tool = row.get("tool")
            code = tool_of.get(tool) if isinstance(tool, str) else None
            if code is None:
                name = tool.strip() if isinstance(tool, str) else ""
                if not name or len(name) > TOOL_LENGTH:
                    message = _("expected the tool's name (%(most)s characters at most)")
                    self.problem(at, "tool", tool, message % {"most": TOOL_LENGTH})
                else:
                    code = self.tools.setdefault(name, len(self.tool_names))
                    if code == len(self.tool_names):
                        self.tool_names.append(name)
                    tool_of[str(tool)] = code  # as sent, for the next rows
            day = self.day(at, row.get("day"))
            # A person was active or not (1 or 0); a team's figure is how many of it were.
            most = LARGEST if owner is not None and owner[0] == 0 else 1
            used = self.count(at, "active", row.get("active", 1), most)
            done = self.count(at, "actions", row.get("actions", 0), LARGEST)
            if owner is None or code is None or day is None or used is None or done is None:
                continue
            person.append(owner[0])
            unit.append(owner[1])
            tools.append(code)
            days.append(day)
            active.append(used)
            actions.append(done)
            index.append(at)
        return _Checked(
            np.array(person, dtype=np.int64),
            np.array(unit, dtype=np.int64),
            np.array(tools, dtype=np.int64),
            np.array(days, dtype=np.int64),
            np.array(active, dtype=np.int64),
            np.array(actions, dtype=np.int64),
            np.array(index, dtype=np.int64),
        )


DAY_BITS = 22  # a day's ordinal fits (9999-12-31 is 3,652,059)


def _key(checked: _Checked) -> np.ndarray:
    """(3, rows): each row's owner (a person's id, or minus a team's), tool and day in one
    number, and position: what the check for repeated rows needs, in 24 bytes a row."""
    owner = np.where(checked.unit != 0, -checked.unit, checked.person)
    return np.stack([owner, (checked.tool << DAY_BITS) | checked.day, checked.index])


def _repeats(checker: _Checker, keys: list[np.ndarray]) -> None:
    """A problem for every row repeating an earlier one's person (or team), tool and day."""
    if not keys:
        return
    owner, slot, index = np.concatenate(keys, axis=1)
    order = np.lexsort((index, slot, owner))
    same = np.zeros(order.size, dtype=bool)
    same[1:] = (owner[order][1:] == owner[order][:-1]) & (slot[order][1:] == slot[order][:-1])
    if not same.any():
        return
    # For each later row of a run of equal keys, the run's first row.
    first = order[np.maximum.accumulate(np.where(same, 0, np.arange(order.size)))][same]
    later = order[same]
    room = max(checker.most_problems - len(checker.report.problems), 0)
    days = slot[later[:room]] & ((1 << DAY_BITS) - 1)
    for at, earlier, ordinal in zip(index[later[:room]].tolist(), index[first[:room]].tolist(),
                                    days.tolist(), strict=True):  # fmt: skip
        checker.problem(at, "day", dt.date.fromordinal(ordinal),
                        _("row %(first)s already gives this person (or team), tool and day")
                        % {"first": earlier})  # fmt: skip
    checker.report.more_problems += max(int(later.size) - room, 0)


def _batches(rows: Iterable[Mapping[str, Any]]) -> Iterator[list[Mapping[str, Any]]]:
    found = iter(rows)
    while batch := list(islice(found, BATCH)):
        yield batch


def upsert_usage(
    rows: Iterable[Mapping[str, Any]],
    *,
    source: str = UsageSource.API,
    today: dt.date | None = None,
    dry_run: bool = False,
    most_problems: int = MAX_PROBLEMS,
) -> UsageReport:
    """Store usage rows, all or none: each a dict with one of "employee_id", "email"
    (matched without regard to case) or "unit" (an org unit's code), and "tool", "day" (a date
    or "yyyy-mm-dd", not in the future), "active" (a person: 1 or 0, the default 1; a team: how
    many of its people were) and "actions" (0 or more, the default 0).

    Returns how many rows were created, updated (a row of the same person or team, tool and day
    held other figures) and left unchanged, or the problems found (`index` is the row's
    position in `rows`; past `most_problems`, only counted) with nothing written. `dry_run`
    counts without writing."""
    report = UsageReport()
    checker = _Checker(today or timezone.localdate(), report, most_problems)
    keys: list[np.ndarray] = []
    waiting: list[_Checked] = []  # checked, to be written together
    with transaction.atomic():
        writer = _CopyWriter(source) if connection.vendor == "postgresql" else _Writer(source)
        try:
            for batch in _batches(rows):
                checked = checker.check(batch, report.rows)
                report.rows += len(batch)
                keys.append(_key(checked))
                # Rows are written (each key once per write: the key check below spans them
                # all) only while every row so far is good; the rest is only checked.
                waiting = [*waiting, checked] if report.ok else []
                if sum(len(c) for c in waiting) >= WRITE_BATCH:
                    writer.write(_unique_in_batch(_joined(waiting)), checker.tool_names)
                    waiting = []
            if report.ok and waiting:
                writer.write(_unique_in_batch(_joined(waiting)), checker.tool_names)
            _repeats(checker, keys)
            counts = writer.finish()
        finally:
            writer.close()
        if report.ok:
            report.created, report.updated = counts
            report.unchanged = report.rows - report.created - report.updated
            report.written = not dry_run
        if not report.written:
            transaction.set_rollback(True)
    return report


def _joined(parts: list[_Checked]) -> _Checked:
    names = ("person", "unit", "tool", "day", "active", "actions", "index")
    return _Checked(*(np.concatenate([getattr(p, name) for p in parts]) for name in names))


def _unique_in_batch(checked: _Checked) -> _Checked:
    """The batch ordered by person (or team), tool and day, which keeps the unique index's
    inserts close together; a key given twice keeps its last row (the repeat is a problem of
    the report, and nothing is kept then)."""
    order = np.lexsort((checked.index, checked.day, checked.tool, checked.unit, checked.person))
    keys = np.stack([checked.person, checked.unit, checked.tool, checked.day])[:, order]
    last = np.ones(order.size, dtype=bool)
    last[:-1] = (keys[:, 1:] != keys[:, :-1]).any(axis=0)
    kept = order[last]
    return _Checked(*(column[kept] for column in (
        checked.person, checked.unit, checked.tool, checked.day, checked.active, checked.actions,
        checked.index)))  # fmt: skip


# The upsert of one kind of owner; {owner} is person_id or unit_id, {rows} where rows come from.
UPSERT = (
    f"INSERT INTO {TABLE} AS u (day, tool, person_id, unit_id, active, actions, source) {{rows}} "
    "ON CONFLICT ({owner}, tool, day) WHERE {owner} IS NOT NULL DO UPDATE SET "
    "active = excluded.active, actions = excluded.actions, source = excluded.source "
    "WHERE u.active <> excluded.active OR u.actions <> excluded.actions"
)  # the same figures from another source leave the row as it was


class _Writer:
    """SQLite: one prepared upsert over the rows; created rows counted from the table's size."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.changed = 0
        self.before = self._size()

    @staticmethod
    def _size() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    def write(self, checked: _Checked, tools: list[str]) -> None:
        values = "VALUES (%s, %s, %s, %s, %s, %s, %s)"
        for owner, mine in (("person_id", checked.unit == 0), ("unit_id", checked.unit != 0)):
            if not mine.any():
                continue
            rows = zip(
                (dt.date.fromordinal(d) for d in checked.day[mine].tolist()),
                (tools[t] for t in checked.tool[mine].tolist()),
                (p or None for p in checked.person[mine].tolist()),
                (u or None for u in checked.unit[mine].tolist()),
                checked.active[mine].tolist(),
                checked.actions[mine].tolist(),
                [self.source] * int(mine.sum()),
                strict=True,
            )
            with connection.cursor() as cursor:
                cursor.executemany(UPSERT.format(rows=values, owner=owner), list(rows))
                self.changed += max(cursor.rowcount, 0)

    def finish(self) -> tuple[int, int]:
        created = self._size() - self.before
        return created, self.changed - created

    def close(self) -> None:
        pass


# One row of `COPY usage_incoming FROM STDIN (FORMAT BINARY)`: a field count, then each
# field's length and big-endian value (a date: days since 2000-01-01).
COPY_ROW = np.dtype(
    [("n", ">i2"), ("l0", ">i4"), ("person", ">i8"), ("l1", ">i4"), ("unit", ">i8"),
     ("l2", ">i4"), ("tool", ">i4"), ("l3", ">i4"), ("day", ">i4"), ("l4", ">i4"),
     ("active", ">i4"), ("l5", ">i4"), ("actions", ">i4")]
)  # fmt: skip
COPY_LENGTHS = {"n": 6, "l0": 8, "l1": 8, "l2": 4, "l3": 4, "l4": 4, "l5": 4}
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
EPOCH = dt.date(2000, 1, 1).toordinal()
INCOMING = "usage_incoming"
# Rows this transaction inserted and updated in the usage table so far: how many of a statement's
# rows were created rather than updated, at no cost (RETURNING them costs a third more).
TALLY = (
    "SELECT pg_stat_get_xact_tuples_inserted(%s::regclass), "
    "pg_stat_get_xact_tuples_updated(%s::regclass)"
)


# Without foreign keys on the usage table, the people and teams a batch names are locked at
# once (as a foreign key check locks each row): none can be deleted until the rows are stored.
# The query gives how many of them are gone already.
LOCK_OWNERS = (
    "SELECT (SELECT count(DISTINCT {column}) FROM {incoming} WHERE {column} <> 0) - "
    "(SELECT count(*) FROM (SELECT 1 FROM {table} o WHERE o.id IN "
    "(SELECT {column} FROM {incoming}) FOR KEY SHARE OF o) AS locked)"
)


class _CopyWriter:
    """PostgreSQL: COPY into a temporary table, then INSERT … ON CONFLICT, in a thread so that
    the next batch is checked meanwhile. The usage table has no foreign keys (they took half
    the database's time): the people and teams of each batch are locked at once (LOCK_OWNERS)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.counts = [0, 0]
        self.cursor = connection.cursor()
        raw = self.cursor.cursor  # psycopg's, for COPY and for the thread
        raw.execute(
            f"CREATE TEMPORARY TABLE {INCOMING} (person_id bigint, unit_id bigint, tool integer, "
            "day date, active integer, actions integer) ON COMMIT DROP"
        )
        self.thread = ThreadPoolExecutor(max_workers=1)
        self.pending: Future[None] | None = None
        rows = (
            f"SELECT day, (%s::text[])[tool + 1], NULLIF(person_id, 0), NULLIF(unit_id, 0), "
            f"active, actions, %s FROM {INCOMING} WHERE {{which}}"
        )
        self.statements = [
            UPSERT.format(rows=rows.format(which=which), owner=owner)
            for owner, which in (("person_id", "unit_id = 0"), ("unit_id", "unit_id <> 0"))
        ]
        self.locks = [
            LOCK_OWNERS.format(column=column, incoming=INCOMING, table=model._meta.db_table)
            for column, model in (("person_id", Person), ("unit_id", OrgUnit))
        ]

    def write(self, checked: _Checked, tools: list[str]) -> None:
        self._wait()
        rows = np.zeros(len(checked), dtype=COPY_ROW)
        for name, length in COPY_LENGTHS.items():
            rows[name] = length
        rows["person"], rows["unit"], rows["tool"] = checked.person, checked.unit, checked.tool
        rows["day"] = checked.day - EPOCH
        rows["active"], rows["actions"] = checked.active, checked.actions
        teams = bool((checked.unit != 0).any())
        self.pending = self.thread.submit(self._write, rows.tobytes(), list(tools), teams)

    def _write(self, data: bytes, tools: list[str], teams: bool) -> None:
        raw = self.cursor.cursor
        with raw.copy(f"COPY {INCOMING} FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(COPY_HEADER)
            copy.write(data)
            copy.write(b"\xff\xff")
        for lock in self.locks[: 2 if teams else 1]:
            raw.execute(lock)
            if raw.fetchone()[0]:
                raise RuntimeError("a person or team of these rows was deleted meanwhile")
        for statement in self.statements[: 2 if teams else 1]:
            raw.execute(TALLY, [TABLE, TABLE])
            inserted = raw.fetchone()[0]
            raw.execute(statement, [tools, self.source])
            changed = max(raw.rowcount, 0)
            raw.execute(TALLY, [TABLE, TABLE])
            # Without statistics (track_counts off) every change counts as an update.
            created = min(raw.fetchone()[0] - inserted, changed)
            self.counts[0] += created
            self.counts[1] += changed - created
        raw.execute(f"TRUNCATE {INCOMING}")

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # raises what the thread raised

    def finish(self) -> tuple[int, int]:
        """The rows created and updated; the temporary table dropped (the transaction may go
        on: an import inside a larger one)."""
        self._wait()
        self.cursor.cursor.execute(f"DROP TABLE {INCOMING}")
        return self.counts[0], self.counts[1]

    def close(self) -> None:
        try:
            self._wait()
        finally:
            self.thread.shutdown()
            self.cursor.close()


def person_usage(person_ids: np.ndarray, today: dt.date) -> dict[str, np.ndarray]:
    """The snapshot's usage arrays, per person of `person_ids` (sorted) over the WINDOW_DAYS
    days to `today`: whether they used each tool (a day active, or actions), and their actions
    on each. Team rows tell how many were active on a day, not who, so they cannot count the
    people active over 28 days: they are not read here."""
    first = today - dt.timedelta(days=WINDOW_DAYS - 1)
    rows = list(
        UsageDay.objects.filter(person__isnull=False, day__range=(first, today))
        .values_list("person_id", "tool")
        .annotate(used=Max("active"), done=Sum("actions"))
        .order_by()
        .iterator(chunk_size=50_000)
    )
    names = sorted({tool for _p, tool, _a, _d in rows})
    column = {name: j for j, name in enumerate(names)}
    n = person_ids.size
    used = np.zeros((n, len(names)), dtype=np.int8)
    actions = np.zeros((n, len(names)), dtype=np.float64)
    if rows and n:
        person = np.array([r[0] for r in rows], dtype=np.int64)
        at = np.clip(np.searchsorted(person_ids, person), 0, n - 1)
        known = person_ids[at] == person  # people who left are not in the snapshot
        col = np.array([column[r[1]] for r in rows], dtype=np.int64)
        done = np.array([r[3] or 0 for r in rows], dtype=np.float64)
        active = (np.array([r[2] or 0 for r in rows]) > 0) | (done > 0)
        used[at[known], col[known]] = active[known]
        actions[at[known], col[known]] = done[known]
    return {
        "usage_tool_names": np.array(names, dtype=str),
        "usage_tools": used,
        "usage_tool_actions": actions,
        "usage_window": np.array([first.toordinal(), today.toordinal()], dtype=np.int64),
        "usage_rows": np.array([len(rows)], dtype=np.int64),
    }
