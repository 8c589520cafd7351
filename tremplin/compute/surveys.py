"""Survey questions and answers: what a question accepts, which questions a respondent is
shown (simple show-if logic), and the check of a whole set of answers. Pure: the app gives
questions as `QuestionSpec` and answers as a dict; errors come back as codes with the question.

Kinds: Likert items on 5 or 7 points (1 = strongly disagree), a single or multiple choice among
the question's options, a 0–10 scale, free text, and a colleague picker (up to three people).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

LIKERT5 = "likert5"
LIKERT7 = "likert7"
SINGLE = "single"
MULTIPLE = "multiple"
SCALE10 = "scale10"
TEXT = "text"
COLLEAGUES = "colleagues"
KINDS = (LIKERT5, LIKERT7, SINGLE, MULTIPLE, SCALE10, TEXT, COLLEAGUES)
CHOICES = (SINGLE, MULTIPLE)
MAX_COLLEAGUES = 3
MAX_TEXT = 4000
POINTS = {LIKERT5: 5, LIKERT7: 7}

Answer = int | str | list[str] | list[int]


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    required: bool = True
    options: tuple[str, ...] = ()  # the option keys of a choice
    show_if: tuple[str, tuple[str, ...]] | None = None  # (question key, values that show it)


@dataclass
class Problem:
    question: str  # its key
    code: str  # "required", "not_an_option", "out_of_range", "too_many", "self", "unknown"…
    detail: dict[str, object] = field(default_factory=dict)


def bounds(kind: str) -> tuple[int, int] | None:
    """The lowest and highest value of a numeric answer."""
    if kind in POINTS:
        return 1, POINTS[kind]
    if kind == SCALE10:
        return 0, 10
    return None


def as_values(answer: Answer | None) -> tuple[str, ...]:
    """An answer as the strings a show-if condition compares with."""
    if answer is None or answer == "" or answer == []:
        return ()
    if isinstance(answer, list):
        return tuple(str(a) for a in answer)
    return (str(answer),)


def shown(questions: Sequence[QuestionSpec], answers: Mapping[str, Answer]) -> set[str]:
    """The keys of the questions the respondent is shown, given their answers: a question with
    a show-if is shown when the question it names is shown and was answered with one of its
    values (a question may only depend on an earlier one)."""
    visible: set[str] = set()
    for question in questions:
        if question.show_if is None:
            visible.add(question.key)
            continue
        on, values = question.show_if
        if on in visible and set(as_values(answers.get(on))) & set(values):
            visible.add(question.key)
    return visible


def check(
    questions: Sequence[QuestionSpec],
    answers: Mapping[str, object],
    *,
    me: int | None,
    people: set[int],
) -> tuple[dict[str, Answer], list[Problem]]:
    """The answers kept (those to questions shown, cleaned) and the problems found. `me` is the
    respondent's person id and `people` the ids they may name in a colleague picker."""
    kept: dict[str, Answer] = {}
    problems: list[Problem] = []
    by_key = {q.key: q for q in questions}
    unknown = sorted(set(answers) - set(by_key))
    problems += [Problem(key, "unknown_question") for key in unknown]
    cleaned: dict[str, Answer] = {}
    for question in questions:
        raw = answers.get(question.key)
        value, problem = _clean(question, raw, me=me, people=people)
        if problem is not None:
            problems.append(problem)
        elif value is not None:
            cleaned[question.key] = value
    visible = shown(questions, cleaned)
    for question in questions:
        if question.key not in visible:
            continue
        if question.key in cleaned:
            kept[question.key] = cleaned[question.key]
        elif question.required and not any(p.question == question.key for p in problems):
            problems.append(Problem(question.key, "required"))
    problems = [p for p in problems if p.question in visible or p.code == "unknown_question"]
    return kept, problems


def _clean(
    question: QuestionSpec, raw: object, *, me: int | None, people: set[int]
) -> tuple[Answer | None, Problem | None]:
    """One answer as stored (None: not answered), or the problem with it."""
    if raw is None or raw == "" or raw == []:
        return None, None
    key = question.key
    limits = bounds(question.kind)
    if limits is not None:
        try:
            number = int(str(raw))
        except ValueError:
            return None, Problem(key, "not_a_number")
        if not limits[0] <= number <= limits[1]:
            return None, Problem(key, "out_of_range", {"low": limits[0], "high": limits[1]})
        return number, None
    if question.kind == SINGLE:
        if str(raw) not in question.options:
            return None, Problem(key, "not_an_option")
        return str(raw), None
    values = raw if isinstance(raw, list) else [raw]
    if question.kind == MULTIPLE:
        chosen = list(dict.fromkeys(str(v) for v in values))
        if any(v not in question.options for v in chosen):
            return None, Problem(key, "not_an_option")
        return [o for o in question.options if o in chosen], None
    if question.kind == COLLEAGUES:
        try:
            named = list(dict.fromkeys(int(str(v)) for v in values if str(v).strip()))
        except ValueError:
            return None, Problem(key, "unknown_colleague")
        if len(named) > MAX_COLLEAGUES:
            return None, Problem(key, "too_many", {"most": MAX_COLLEAGUES})
        if me is not None and me in named:
            return None, Problem(key, "self")
        if any(n not in people for n in named):
            return None, Problem(key, "unknown_colleague")
        return named or None, None
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        return None, Problem(key, "too_long", {"most": MAX_TEXT})
    return text or None, None


def template_problems(questions: Sequence[Mapping[str, object]]) -> list[tuple[int, str, str]]:
    """What is wrong with the questions of a survey template: (question number from 1, field,
    code). Each needs a unique key, a known kind, a text in French and English, options (two or
    more, unique, each with both texts) for a choice and none otherwise, and a show-if that
    names an earlier question and values that question can take."""
    found: list[tuple[int, str, str]] = []
    seen: dict[str, Mapping[str, object]] = {}
    for number, question in enumerate(questions, start=1):
        key = str(question.get("key") or "")
        kind = str(question.get("kind") or "")
        if not key:
            found.append((number, "key", "missing"))
        elif key in seen:
            found.append((number, "key", "duplicate"))
        if kind not in KINDS:
            found.append((number, "kind", "unknown"))
        for language in ("fr", "en"):
            if not str(question.get(f"text_{language}") or "").strip():
                found.append((number, f"text_{language}", "missing"))
        options = question.get("options") or []
        if not isinstance(options, list):
            found.append((number, "options", "not_a_list"))
            options = []
        keys = [str(o.get("key") or "") if isinstance(o, dict) else "" for o in options]
        if kind in CHOICES:
            if len(options) < 2:
                found.append((number, "options", "too_few"))
            if len(set(keys)) != len(keys) or "" in keys:
                found.append((number, "options", "keys"))
            if any(not isinstance(o, dict) or not o.get("fr") or not o.get("en") for o in options):
                found.append((number, "options", "texts"))
        elif options:
            found.append((number, "options", "not_a_choice"))
        condition = question.get("show_if")
        if condition:
            found += _condition_problems(number, condition, seen)
        if key and key not in seen:
            seen[key] = question
    return found


def _condition_problems(
    number: int, condition: object, earlier: Mapping[str, Mapping[str, object]]
) -> list[tuple[int, str, str]]:
    if not isinstance(condition, dict) or not isinstance(condition.get("in"), list):
        return [(number, "show_if", "malformed")]
    on = earlier.get(str(condition.get("question") or ""))
    if on is None:
        return [(number, "show_if", "not_an_earlier_question")]
    kind = str(on.get("kind") or "")
    values = [str(v) for v in condition["in"]]
    limits = bounds(kind)
    if limits is not None:
        allowed = {str(v) for v in range(limits[0], limits[1] + 1)}
    elif kind in CHOICES:
        allowed = {str(o.get("key")) for o in on.get("options") or [] if isinstance(o, dict)}  # type: ignore[attr-defined]
    else:
        return [(number, "show_if", "not_on_a_closed_question")]
    if not values or any(v not in allowed for v in values):
        return [(number, "show_if", "values")]
    return []
