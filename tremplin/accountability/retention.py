"""The retention rules, applied once a day by the background worker (`tremplin retention` for
a cron job without it): named survey answers (the help network's, once its scores are kept),
survey comments, people gone for long (erased), e-mails sent and the audit log itself. No rule
may touch the risk assessment's versions, which the law keeps."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from tremplin.accountability.details import coded
from tremplin.accountability.models import Action, AuditEntry, RetentionRule, Target
from tremplin.people.models import Person
from tremplin.people.services import mark_departures

# The rules an installation starts with (months); the lead or the data-protection officer
# changes or turns them off on the data-protection page.
DEFAULTS = {
    Target.NAMED_ANSWERS: 12,
    Target.SURVEY_COMMENTS: 24,
    Target.PEOPLE_GONE: 36,
    Target.EMAILS: 12,
    Target.AUDIT_LOG: 12,
}
HOUR = 3  # the daily run, at 03:00 local time


def defaults() -> None:
    """The default rules, where none is set for a kind of data yet."""
    for target, months in DEFAULTS.items():
        RetentionRule.objects.get_or_create(target=target, defaults={"months": months})


def _named_answers(cutoff: datetime.datetime) -> int:
    from tremplin.voice.models import Anonymity, Response, Survey
    from tremplin.voice.network import scores

    removed = 0
    surveys = Survey.objects.filter(
        anonymity=Anonymity.NAMED, sealed_at__isnull=False, closes_at__lt=cutoff
    )
    for survey in surveys.filter(responses__isnull=False).distinct():
        scores(survey)  # the network's scores and drawing stay
        removed += Response.objects.filter(survey=survey).delete()[0]
    return removed


def _survey_comments(cutoff: datetime.datetime) -> int:
    from tremplin.compute import surveys as rules
    from tremplin.voice.models import Question, Response, Result

    removed = 0
    keys: dict[int, list[str]] = {}
    for survey_id, key in Question.objects.filter(
        kind=rules.TEXT, survey__closes_at__lt=cutoff, survey__sealed_at__isnull=False
    ).values_list("survey_id", "key"):
        keys.setdefault(survey_id, []).append(key)
    for survey_id, text_keys in keys.items():
        with transaction.atomic():
            changed = []
            for response in Response.objects.filter(survey_id=survey_id).select_for_update():
                kept = {k: v for k, v in response.answers.items() if k not in text_keys}
                if kept != response.answers:
                    removed += len(response.answers) - len(kept)
                    response.answers = kept
                    changed.append(response)
            Response.objects.bulk_update(changed, ["answers"], batch_size=2000)
            result = Result.objects.filter(survey_id=survey_id).select_for_update().first()
            if result is not None:
                comments = result.data.get("comments", {})
                shown = sum(len(c.get("shown", [])) for c in comments.values())
                if shown:
                    for found in comments.values():
                        found["shown"] = []
                    result.save(update_fields=["data"])
                    removed += shown
    return removed


def _people_gone(cutoff: datetime.datetime) -> int:
    from tremplin.accountability.models import Erasure
    from tremplin.accountability.rights import erase

    mark_departures()
    gone = Person.objects.filter(active=False, left_on__lt=cutoff.date()).exclude(
        pk__in=Erasure.objects.values("person_id")
    )
    count = 0
    for person in gone.iterator():
        erase(person, None, "retention")
        count += 1
    return count


def _emails(cutoff: datetime.datetime) -> int:
    from tremplin.notifications.models import Message

    done = Q(sent_at__lt=cutoff) | Q(sent_at=None, created_at__lt=cutoff) & ~Q(dropped="")
    return Message.objects.filter(done).delete()[0]


def _audit_log(cutoff: datetime.datetime) -> int:
    return AuditEntry.objects.filter(at__lt=cutoff).delete()[0]


APPLY: dict[str, Callable[[datetime.datetime], int]] = {
    Target.NAMED_ANSWERS: _named_answers,
    Target.SURVEY_COMMENTS: _survey_comments,
    Target.PEOPLE_GONE: _people_gone,
    Target.EMAILS: _emails,
    Target.AUDIT_LOG: _audit_log,
}


def apply_rules(now: datetime.datetime | None = None) -> dict[str, int]:
    """Apply every active rule; returns what each removed. Each rule is checked again
    (a rule written around the form cannot delete what the law keeps)."""
    from tremplin.accountability.audit import record

    now = now or timezone.now()
    defaults()
    mark_departures(timezone.localdate(now))
    done = {}
    for rule in RetentionRule.objects.filter(active=True):
        rule.full_clean()
        count = APPLY[rule.target](rule.cutoff(now))
        rule.last_run_at, rule.last_count = now, count
        rule.save(update_fields=["last_run_at", "last_count"])
        done[rule.target] = count
        if count:
            record(None, Action.RETENTION, detail=coded("retention", rule.target, count))
    return done


def next_run(now: datetime.datetime | None = None) -> datetime.datetime:
    local = timezone.localtime(now or timezone.now())
    run = local.replace(hour=HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + datetime.timedelta(days=1)


def schedule() -> None:
    """Make sure the next daily run waits in the worker's queue (once); nothing without a
    worker (run `tremplin retention` from cron then)."""
    from django_tasks import default_task_backend

    if not default_task_backend.supports_defer:
        return
    from django_tasks_db.models import DBTaskResult

    pending = DBTaskResult.objects.filter(
        task_path=apply_rules_task.module_path, status="READY"
    ).exists()
    if not pending:
        apply_rules_task.using(run_after=next_run()).enqueue()


@task()
def apply_rules_task() -> dict[str, int]:
    try:
        return apply_rules()
    finally:
        schedule()
