"""Development plans: generation with the optimiser, the co-signature workflow, completions."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.assessments.models import CareerInterview, Rating, Source
from tremplin.assessments.reassessments import request_reassessment
from tremplin.assessments.services import consolidate_levels, record_ratings
from tremplin.compute import plans as engine
from tremplin.learning.access import co_signatory, manages
from tremplin.learning.budgets import budgets_left
from tremplin.learning.catalogue import CatalogueArrays, catalogue_arrays
from tremplin.learning.gaps import PopulationGaps, population_gaps
from tremplin.learning.models import (
    OPEN_STATUSES,
    ItemStatus,
    Module,
    Plan,
    PlanEvent,
    PlanItem,
    PlanSettings,
    PlanStatus,
)
from tremplin.notifications import events
from tremplin.people.models import Language, Person
from tremplin.skills.models import Competence
from tremplin.skills.queries import active_framework


class PlanError(Exception):
    """A refused change, with a message for the user."""


def _done_modules(people: QuerySet[Person], arrays: CatalogueArrays) -> dict[int, frozenset[int]]:
    done: dict[int, set[int]] = {}
    for person_id, module_id in PlanItem.objects.filter(
        plan__person__in=people, status=ItemStatus.DONE
    ).values_list("plan__person_id", "module_id"):
        if module_id in arrays.index_of_module:
            done.setdefault(person_id, set()).add(arrays.index_of_module[module_id])
    return {p: frozenset(m) for p, m in done.items()}


def generate_plans(
    *,
    people: QuerySet[Person],
    by: AbstractBaseUser | AnonymousUser | None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    replace_discussed: bool = False,
) -> tuple[int, int, int]:
    """Propose a plan to each person without an agreed one; returns (proposed, skipped, greedy).

    A proposed or discussed plan is replaced in place (its history keeps what changed); an
    agreed or running plan is left alone, and its first-year cost counts against the budget.
    """
    framework = active_framework()
    if framework is None:
        raise PlanError(_("Load a competency framework first."))
    arrays = catalogue_arrays(framework)
    if not arrays.modules:
        raise PlanError(_("The training catalogue is empty: load or import modules first."))
    settings = PlanSettings.current()
    gaps = population_gaps(people.filter(active=True), framework)
    current = {p.person_id: p for p in Plan.objects.current().filter(person__in=people)}
    # A discussed plan is what the pair agreed on in the interview: only its person's page
    # replaces it, on request.
    replaceable = OPEN_STATUSES if replace_discussed else (PlanStatus.PROPOSED,)
    locked = {pid for pid, plan in current.items() if plan.status not in replaceable}
    done = _done_modules(people, arrays)
    needs = [
        need_of(gaps, i, settings, done.get(person.pk, frozenset()))
        for i, person in enumerate(gaps.people)
    ]
    year = timezone.localdate().year
    group, budgets = budgets_left(gaps.people, year, locked)
    plans = engine.plan_everyone(
        arrays.catalogue,
        needs,
        objective=settings.objective,
        workers=workers,
        progress=progress,
        budget_group=group,
        budgets=budgets,
    )
    kept = [
        (person, result, current.get(person.pk))
        for person, result in zip(gaps.people, plans, strict=True)
        if person.pk not in locked
    ]
    planned_for = {person.pk: gaps_in(gaps, i) for i, person in enumerate(gaps.people)}
    with transaction.atomic():
        _save_generated(kept, arrays, year, by, settings, planned_for)
    greedy = sum(result.method == engine.GREEDY for _person, result, _plan in kept)
    return len(kept), len(locked), greedy


def need_of(
    gaps: PopulationGaps, row: int, settings: PlanSettings, done: frozenset[int]
) -> engine.Need:
    """What the optimiser needs of one person of `gaps`: levels, targets, weights, language,
    the yearly maximum of hours and the modules already completed."""
    person = gaps.people[row]
    return engine.Need(
        current=tuple(int(v) for v in gaps.matrix.known[row]),
        target=tuple(int(v) for v in gaps.matrix.target[row]),
        weight=tuple(float(v) for v in gaps.matrix.weight[row]),
        language=engine.LANGUAGE_BITS[person.preferred_language or Language.FRENCH],
        max_hours=float(settings.max_hours_per_year),
        done=done,
    )


def gaps_in(gaps: PopulationGaps, row: int) -> dict[str, list[int]]:
    """{competence code: [current level, target]} of one person's gaps."""
    known, target = gaps.matrix.known[row], gaps.matrix.target[row]
    return {
        c.code: [int(known[j]), int(target[j])]
        for j, c in enumerate(gaps.competences)
        if target[j] > known[j]
    }


def _open_steps(result: engine.Plan, arrays: CatalogueArrays) -> list[dict[str, object]]:
    return [
        {"competence": arrays.competences[s.competence].code, "level": s.level, "reason": s.reason}
        for s in result.open_steps
    ]


def _save_generated(
    rows: list[tuple[Person, engine.Plan, Plan | None]],
    arrays: CatalogueArrays,
    year: int,
    by: AbstractBaseUser | AnonymousUser | None,
    settings: PlanSettings,
    planned_for: dict[int, dict[str, list[int]]],
) -> None:
    """Write the proposed plans in a fixed number of queries: open plans are replaced in place,
    the others created; each gets its items, the gaps it was made for and a history entry."""
    existing = [plan for _, _, plan in rows if plan is not None]
    before: dict[int, set[str]] = {plan.pk: set() for plan in existing}
    for plan_id, code in PlanItem.objects.filter(plan__in=existing).values_list(
        "plan_id", "module__code"
    ):
        before[plan_id].add(code)
    now = timezone.now()
    saved: list[Plan] = []
    for person, result, plan in rows:
        if plan is None:
            plan = Plan(person=person)
        else:
            plan.version += 1
        plan.status = PlanStatus.PROPOSED
        plan.starts_in = year
        plan.objective = settings.objective
        plan.method = result.method
        plan.open_steps = _open_steps(result, arrays)
        plan.gaps = planned_for.get(person.pk, {})
        plan.person_signed_at = plan.manager_signed_at = None
        plan.manager_signed_by = None
        plan.updated_at = now
        saved.append(plan)
    Plan.objects.bulk_update(
        existing,
        [
            "status",
            "starts_in",
            "objective",
            "method",
            "open_steps",
            "gaps",
            "person_signed_at",
            "manager_signed_at",
            "manager_signed_by",
            "version",
            "updated_at",
        ],
        batch_size=1000,
    )
    Plan.objects.bulk_create([plan for plan in saved if plan.pk is None], batch_size=1000)
    PlanItem.objects.filter(plan__in=existing).delete()
    items: list[PlanItem] = []
    events: list[PlanEvent] = []
    by_id = by.pk if by is not None and by.is_authenticated else None
    for plan, (_person, result, _old) in zip(saved, rows, strict=True):
        deferred = set(result.deferred)
        items += [
            PlanItem(
                plan=plan,
                module=arrays.modules[m],
                position=n,
                year=y,
                deferred_by_budget=m in deferred,
            )
            for n, (m, y) in enumerate(zip(result.modules, result.years, strict=True))
        ]
        after = [arrays.modules[m].code for m in result.modules]
        old = before.get(plan.pk, set())
        if plan.pk in before and old == set(after):
            continue  # proposed again as it was: nothing to record
        events.append(
            PlanEvent(
                plan=plan,
                by_id=by_id,
                kind=PlanEvent.Kind.GENERATED,
                details={"added": sorted(set(after) - old), "removed": sorted(old - set(after))},
                modules=after,
            )
        )
    PlanItem.objects.bulk_create(items, batch_size=2000)
    PlanEvent.objects.bulk_create(events, batch_size=1000)


def _event(
    plan: Plan,
    by: AbstractBaseUser | AnonymousUser | None,
    kind: str,
    details: dict[str, object],
) -> None:
    modules = list(plan.items.order_by("position").values_list("module__code", flat=True))
    PlanEvent.objects.create(
        plan=plan,
        by_id=by.pk if by is not None and by.is_authenticated else None,
        kind=kind,
        details=details,
        modules=modules,
    )


def _locked(plan: Plan, version: int | None) -> Plan:
    """The plan, locked for this transaction; refused if someone saved it meanwhile."""
    fresh = Plan.objects.select_for_update().get(pk=plan.pk)
    if version is not None and fresh.version != version:
        raise PlanError(
            _(
                "Someone else changed this plan while you were editing it. Your changes were "
                "not saved; the page now shows their version. Make your changes again."
            )
        )
    return fresh


def plan_edit(
    *,
    plan: Plan,
    by: AbstractBaseUser | AnonymousUser | None,
    version: int,
    add: Sequence[Module] = (),
    remove: Sequence[Module] = (),
) -> Plan:
    """Add or remove modules before agreement; any signature given so far must be renewed."""
    with transaction.atomic():
        plan = _locked(plan, version)
        if not plan.editable:
            raise PlanError(_("An agreed plan can no longer be changed."))
        present = set(plan.items.values_list("module_id", flat=True))
        added = [m for m in add if m.pk not in present]
        removed = [m for m in remove if m.pk in present]
        if not added and not removed:
            return plan
        plan.items.filter(module__in=removed).delete()
        start = plan.items.count()
        PlanItem.objects.bulk_create(
            PlanItem(plan=plan, module=m, position=start + n, year=1) for n, m in enumerate(added)
        )
        for n, item in enumerate(plan.items.order_by("year", "position")):
            if item.position != n:
                PlanItem.objects.filter(pk=item.pk).update(position=n)
        plan.version += 1
        plan.person_signed_at = plan.manager_signed_at = None
        plan.manager_signed_by = None
        plan.save()
        _event(
            plan,
            by,
            PlanEvent.Kind.EDITED,
            {"added": [m.code for m in added], "removed": [m.code for m in removed]},
        )
    return plan


def _set_status(
    plan: Plan, by: AbstractBaseUser | AnonymousUser | None, status: str, **details: object
) -> None:
    old = plan.status
    plan.status = status
    plan.version += 1
    plan.save()
    _event(plan, by, PlanEvent.Kind.STATUS, {"status": [old, status], **details})


def plan_discussed(
    *,
    plan: Plan,
    by: AbstractBaseUser | AnonymousUser | None,
    version: int,
    interview: CareerInterview | None = None,
) -> Plan:
    """Mark the plan as discussed in the career interview (`interview`, when it is recorded)."""
    with transaction.atomic():
        plan = _locked(plan, version)
        if plan.status != PlanStatus.PROPOSED:
            raise PlanError(_("Only a proposed plan can be marked as discussed."))
        if interview is not None and interview.person_id != plan.person_id:
            raise PlanError(_("This career interview is about someone else."))
        if interview is None:
            _set_status(plan, by, PlanStatus.DISCUSSED)
        else:
            _set_status(
                plan,
                by,
                PlanStatus.DISCUSSED,
                interview=interview.pk,
                held_on=interview.held_on.isoformat(),
            )
        signers = [plan.person, co_signatory(plan.person)]
        events.plan_to_sign(plan, [s for s in signers if s is not None])
    return plan


def plan_sign(
    *, plan: Plan, by: AbstractBaseUser | AnonymousUser | None, signer: Person, version: int
) -> Plan:
    """Sign as the person or as their manager; with both signatures the plan is agreed."""
    with transaction.atomic():
        plan = _locked(plan, version)
        if not plan.editable:
            raise PlanError(_("This plan is already agreed."))
        if plan.status != PlanStatus.DISCUSSED:
            raise PlanError(
                _("A plan is signed once it has been discussed in the career interview.")
            )
        if not plan.items.exists():
            raise PlanError(_("A plan without modules cannot be signed."))
        now = timezone.now()
        if signer.pk == plan.person_id:
            if plan.person_signed_at:
                raise PlanError(_("You have already signed this version of the plan."))
            plan.person_signed_at = now
            role = "person"
        elif manages(signer, plan.person):
            if plan.manager_signed_at:
                raise PlanError(_("The manager has already signed this version of the plan."))
            plan.manager_signed_at = now
            plan.manager_signed_by = signer
            role = "manager"
        else:
            raise PlanError(
                _("Only the employee and %(name)s sign this plan.")
                % {"name": getattr(co_signatory(plan.person), "full_name", _("their manager"))}
            )
        plan.version += 1
        plan.save()
        _event(plan, by, PlanEvent.Kind.SIGNED, {"as": role})
        if plan.person_signed_at and plan.manager_signed_at:
            _set_status(plan, by, PlanStatus.AGREED)
    return plan


def item_complete(
    *,
    item: PlanItem,
    by: AbstractBaseUser | AnonymousUser | None,
    recorder: Person | None,
    on: datetime.date | None = None,
) -> PlanItem:
    """Record a completed module: a training rating at the level it brings for each competence
    it raises, the plan moves to in progress (or done), and a new assessment is asked for.

    Recorded by the person themselves, the completion is *declared*: its ratings count as a
    self-assessment (`compute.consolidation`) until the manager or the programme lead confirms
    it (`item_confirm`). Recorded by the manager or the lead, it is confirmed at once."""
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise PlanError(_("A completion cannot be dated in the future."))
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=item.plan_id)
        if plan.status not in (PlanStatus.AGREED, PlanStatus.IN_PROGRESS):
            raise PlanError(_("Modules are completed once both have signed the plan."))
        item = PlanItem.objects.select_related("module").get(pk=item.pk)
        if item.status == ItemStatus.DONE:
            return item
        item.status = ItemStatus.DONE
        item.completed_on = on
        item.completion_declared_by = recorder
        if recorder is not None and recorder.pk != plan.person_id:
            item.completion_confirmed_by = recorder
        item.save()
        levels = levels_brought(plan.person, item.module)
        if levels:
            record_ratings(
                person=plan.person,
                levels=levels,
                source=Source.TRAINING,
                assessor=recorder,
                assessed_on=on,
            )
        _event(plan, by, PlanEvent.Kind.COMPLETED, {"module": item.module.code})
        if plan.status == PlanStatus.AGREED:
            _set_status(plan, by, PlanStatus.IN_PROGRESS)
        if not plan.items.exclude(status=ItemStatus.DONE).exists():
            _set_status(plan, by, PlanStatus.DONE)
        if levels and PlanSettings.current().reassess_on_completion:
            _ask_reassessment(plan.person, item.module, on)
    return item


def levels_brought(person: Person, module: Module) -> dict[Competence, int]:
    """The level the module brings for each competence it raises from the person's level."""
    current = dict(person.current_levels.values_list("competence_id", "level"))
    return {
        r.competence: r.to_level
        for r in module.raises.select_related("competence")
        if r.from_level <= current.get(r.competence_id, 0) < r.to_level
    }


def item_reopen(
    *, item: PlanItem, by: AbstractBaseUser | AnonymousUser | None, reason: str
) -> PlanItem:
    """Withdraw a completion recorded by mistake (attendance corrected from present): the
    module is to do again, the levels its completion recorded are removed and the current
    levels computed again from the other ratings, and the plan is back in progress."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=item.plan_id)
        item = PlanItem.objects.select_related("module").get(pk=item.pk)
        if item.status != ItemStatus.DONE or item.completed_on is None:
            return item
        competences = [r.competence_id for r in item.module.raises.all()]
        Rating.objects.filter(
            person=plan.person, source=Source.TRAINING, assessed_on=item.completed_on,
            competence_id__in=competences,
        ).delete()  # fmt: skip
        consolidate_levels(person_ids=[plan.person_id], competence_ids=competences)
        item.status, item.completed_on = ItemStatus.PLANNED, None
        item.completion_declared_by = item.completion_confirmed_by = None
        item.save()
        _event(plan, by, PlanEvent.Kind.REOPENED, {"module": item.module.code, "why": reason})
        if plan.status == PlanStatus.DONE:
            _set_status(plan, by, PlanStatus.IN_PROGRESS)
    return item


def item_confirm(
    *, item: PlanItem, by: AbstractBaseUser | AnonymousUser | None, confirmer: Person
) -> PlanItem:
    """The manager (or the programme lead) confirms a completion the person declared: the
    levels it brought are recorded again on the confirmer's word, and now outrank the
    manager's earlier ratings as a confirmed training does."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=item.plan_id)
        item = PlanItem.objects.select_related("module", "plan").get(pk=item.pk)
        if item.status != ItemStatus.DONE:
            raise PlanError(_("Only a completed module can be confirmed."))
        if confirmer.pk == plan.person_id:
            raise PlanError(_("A completion is confirmed by someone other than the person."))
        if item.completion_confirmed_by_id is not None:
            return item
        assert item.completed_on is not None
        declared = Rating.objects.filter(
            person=plan.person,
            source=Source.TRAINING,
            assessor=plan.person,
            assessed_on=item.completed_on,
            competence__in=[r.competence_id for r in item.module.raises.all()],
        ).select_related("competence")
        levels = {r.competence: r.level for r in declared.order_by("pk")}
        item.completion_confirmed_by = confirmer
        item.save(update_fields=["completion_confirmed_by"])
        if levels:
            record_ratings(
                person=plan.person,
                levels=levels,
                source=Source.TRAINING,
                assessor=confirmer,
                assessed_on=item.completed_on,
            )
        _event(plan, by, PlanEvent.Kind.CONFIRMED, {"module": item.module.code})
    return item


def _ask_reassessment(person: Person, module: Module, on: datetime.date) -> None:
    request_reassessment(
        person=person,
        competences=[r.competence for r in module.raises.select_related("competence")],
        module=module.code,
        on=on,
    )
