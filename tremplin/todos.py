"""What each person has to do now, for their home page: one list per hat they wear.

Every item is a link to the page where it is done. Each list costs a handful of queries
whatever the size of the company (counts, not rows, for a manager's line and for the lead).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.assessments.models import (
    Campaign,
    CampaignReminder,
    CareerInterview,
    CurrentLevel,
    Draft,
    Reassessment,
    Source,
)
from tremplin.assessments.queries import (
    DISAGREEMENT,
    campaign_progress,
    campaigns_for_people,
    open_campaigns_covering,
    open_today,
)
from tremplin.assessments.quiz import next_retake
from tremplin.assessments.quiz_models import QuizSession, QuizSettings
from tremplin.learning.models import (
    EnrolmentStatus,
    ItemStatus,
    Plan,
    PlanItem,
    PlanStatus,
    TrainingSession,
)
from tremplin.people.models import Person, Role

CAMPAIGNS_SHOWN = 5  # the lead's home shows the open campaigns closing first
ATTENDANCE_WINDOW = datetime.timedelta(days=30)  # a trainer is asked for a month


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    due: datetime.date | None = None
    reminded: datetime.datetime | None = None  # the lead's last reminder about it


@dataclass(frozen=True)
class CampaignRow:
    campaign: Campaign
    population: int
    self_done: int
    manager_done: int


@dataclass
class Home:
    mine: list[Todo] = field(default_factory=list)
    team: list[Todo] = field(default_factory=list)
    programme: list[Todo] = field(default_factory=list)
    campaigns: list[CampaignRow] = field(default_factory=list)
    open_campaigns: int = 0
    plans_by_status: list[tuple[str, int, str]] = field(default_factory=list)
    reading: list[Todo] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.mine or self.team or self.programme)


def _first_few(codes: list[str], shown: int = 3) -> str:
    """The first codes, and how many more: a line of nineteen codes is read by nobody."""
    if len(codes) <= shown + 1:
        return ", ".join(codes)
    more = len(codes) - shown
    return ngettext("%(codes)s and %(count)s other", "%(codes)s and %(count)s others", more) % {
        "codes": ", ".join(codes[:shown]),
        "count": more,
    }


def _url(name: str, *args: object, query: dict[str, str] | None = None, anchor: str = "") -> str:
    url = reverse(name, args=args)
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{anchor}" if anchor else "")


def home_of(me: Person | None, roles: frozenset[str]) -> Home:
    home = Home()
    if me is not None:
        opened = open_today()  # read once for one's own part and the team's
        home.mine = mine(me, opened)
        if Role.MANAGER in roles:
            home.team = team(me, opened)
    if Role.LEAD in roles:
        programme(home)
    home.reading = reading(roles)
    return home


def mine(me: Person, opened: list[Campaign] | None = None) -> list[Todo]:
    """The employee's own: assessments, the quiz, the plan, modules, interview records."""
    reminded = _reminders(Q(person=me, source=Source.SELF))
    covering_me = open_campaigns_covering(me, opened)  # once, for self-assessments and quiz
    asking = [c for c in covering_me if c.self_assessment]
    submitted = set(
        Draft.objects.filter(campaign__in=asking, person=me, source=Source.SELF)
        .exclude(submitted_at=None)
        .values_list("campaign_id", flat=True)
    )
    todos = [
        Todo(
            _("Assess yourself: %(campaign)s") % {"campaign": campaign.name},
            _url("assessments:assess", campaign.pk, me.pk, Source.SELF),
            campaign.closes_on,
            reminded.get(campaign.pk),
        )
        for campaign in asking
        if campaign.pk not in submitted
    ]
    todos += _quiz(me, [c for c in covering_me if c.quiz])
    for again in Reassessment.objects.open().filter(person=me, self_done_at__isnull=True):
        todos.append(
            Todo(
                _("Rate your levels after training: %(modules)s")
                % {"modules": _first_few(again.modules)},
                _url("assessments:reassess", again.pk, Source.SELF),
                again.due_on,
            )
        )
    plan = Plan.objects.filter(person=me).current().first()
    if plan is not None:
        url = _url("learning:plan", plan.pk)
        if plan.status == PlanStatus.PROPOSED:
            todos.append(Todo(_("Read the development plan proposed to you"), url))
        elif plan.status == PlanStatus.DISCUSSED and plan.person_signed_at is None:
            todos.append(Todo(_("Sign your development plan"), url))
        else:
            left = plan.items.filter(status=ItemStatus.PLANNED).count()
            if left and plan.status in (PlanStatus.AGREED, PlanStatus.IN_PROGRESS):
                todos.append(
                    Todo(
                        ngettext(
                            "%(count)s module left in your plan",
                            "%(count)s modules left in your plan",
                            left,
                        )
                        % {"count": left},
                        url,
                    )
                )
    for interview in CareerInterview.objects.filter(person=me, person_agreed_at__isnull=True):
        todos.append(
            Todo(
                _("Read and agree to your career interview record"),
                _url("assessments:interview", interview.pk),
                None,
            )
        )
    return todos + _charter(me) + _sessions(me)


def _charter(me: Person) -> list[Todo]:
    """The current usage charter, until the person has acknowledged it."""
    from tremplin.governance.services import current_charter  # governance builds on people

    charter = current_charter()
    if charter is None or charter.acknowledgements.filter(person=me).exists():
        return []
    return [Todo(_("Read and acknowledge the AI usage charter (version %(v)s)")
                 % {"v": charter.version}, _url("governance:charter"))]  # fmt: skip


SESSIONS_SHOWN = 3


def _sessions(me: Person) -> list[Todo]:
    """The person's next sessions, the modules of their agreed plan with a session to come
    they are not in yet, and the attendance of the sessions they trained that is not recorded."""
    now = timezone.now()
    coming = TrainingSession.objects.filter(cancelled_at=None, starts_at__gt=now)
    todos = []
    mine = coming.filter(enrolments__person=me, enrolments__status=EnrolmentStatus.ENROLLED)
    for session in mine.select_related("module").order_by("starts_at")[:SESSIONS_SHOWN]:
        todos.append(Todo(_("Training session: %(module)s on %(date)s")
                          % {"module": session.module.title, "date": _when(session)},
                          _url("learning:session", session.pk)))  # fmt: skip
    taken = coming.filter(enrolments__person=me).exclude(
        enrolments__status=EnrolmentStatus.CANCELLED
    )
    planned = PlanItem.objects.to_follow().filter(plan__person=me).values("module_id")
    offered = (
        coming.filter(module_id__in=planned).exclude(module_id__in=taken.values("module_id"))
        .annotate(seated=Count("enrolments",
                               filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)))
        .filter(seated__lt=F("capacity"))  # the next one with a free seat, not a full one
        .select_related("module").order_by("starts_at")
    )  # fmt: skip
    seen: set[int] = set()
    for session in offered[:50]:
        if session.module_id in seen or len(seen) == SESSIONS_SHOWN:
            continue
        seen.add(session.module_id)
        todos.append(Todo(_("Enrol in a session of %(module)s (the next one on %(date)s)")
                          % {"module": session.module.title, "date": _when(session)},
                          _url("learning:session", session.pk)))  # fmt: skip
    held = (
        TrainingSession.objects.filter(trainer=me, cancelled_at=None,
                                       starts_at__lte=now, starts_at__gte=now - ATTENDANCE_WINDOW,
                                       enrolments__status=EnrolmentStatus.ENROLLED,
                                       enrolments__attendance="")
        .select_related("module").distinct().order_by("starts_at")
    )  # fmt: skip
    for session in held[:SESSIONS_SHOWN]:
        todos.append(Todo(_("Record the attendance: %(module)s of %(date)s")
                          % {"module": session.module.title, "date": _when(session)},
                          _url("learning:session", session.pk)))  # fmt: skip
    return todos


def _when(session: TrainingSession) -> str:
    return date_format(timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT")


def _reminders(who: Q) -> dict[int, datetime.datetime]:
    """Campaign → the last reminder sent about these people's part."""
    rows = CampaignReminder.objects.filter(who).values_list("campaign_id").annotate(Max("sent_at"))
    return dict(rows)


def _quiz(me: Person, with_quiz: list[Campaign]) -> list[Todo]:
    """The quiz to finish, or to take in one of `with_quiz` (the open quiz campaigns covering
    the person)."""
    started = QuizSession.objects.filter(person=me, status=QuizSession.Status.OPEN).first()
    if started is not None:
        return [Todo(_("Finish the quiz you started"), _url("assessments:quiz", started.pk))]
    if not with_quiz or next_retake(me, QuizSettings.current()) is not None:
        return []
    done = QuizSession.objects.filter(
        person=me, status=QuizSession.Status.FINISHED, started_at__date__gte=with_quiz[0].opens_on
    )
    if done.exists():
        return []
    return [
        Todo(
            _("Take the adaptive quiz: %(campaign)s") % {"campaign": with_quiz[0].name},
            _url("assessments:overview", anchor="quiz"),
            with_quiz[0].closes_on,
        )
    ]


def team(me: Person, opened: list[Campaign] | None = None) -> list[Todo]:
    """A manager's: ratings to give, plans to discuss or sign, completions to confirm,
    interviews to hold or agree, disagreements to talk through."""
    line = list(Person.objects.reporting_line_of(me).filter(active=True))
    if not line:
        return []
    todos: list[Todo] = []
    waiting: dict[int, tuple[Campaign, int]] = {}
    for entries in campaigns_for_people(line, Source.MANAGER, opened).values():
        for campaign, draft in entries:
            if draft is None or draft.submitted_at is None:
                count = waiting.get(campaign.pk, (campaign, 0))[1]
                waiting[campaign.pk] = (campaign, count + 1)
    overview = _url("assessments:overview", anchor="team")
    reminded = _reminders(Q(person__in=line, source=Source.MANAGER))
    for campaign, count in sorted(waiting.values(), key=lambda w: w[0].closes_on):
        todos.append(
            Todo(
                ngettext(
                    "Rate %(count)s person: %(campaign)s",
                    "Rate %(count)s people: %(campaign)s",
                    count,
                )
                % {"count": count, "campaign": campaign.name},
                overview,
                campaign.closes_on,
                reminded.get(campaign.pk),
            )
        )
    after = (
        Reassessment.objects.open().filter(person__in=line, manager_done_at__isnull=True).count()
    )
    if after:
        todos.append(
            Todo(
                ngettext(
                    "Rate %(count)s person again after training",
                    "Rate %(count)s people again after training",
                    after,
                )
                % {"count": after},
                _url("assessments:reassessments"),
            )
        )
    plans = Plan.objects.filter(person__in=line).current()
    counts = dict(
        plans.filter(
            Q(status=PlanStatus.PROPOSED)
            | Q(status=PlanStatus.DISCUSSED, manager_signed_at__isnull=True)
        )
        .values_list("status")
        .annotate(n=Count("id"))
    )
    to_discuss = counts.get(PlanStatus.PROPOSED, 0)
    if to_discuss:
        todos.append(
            Todo(
                ngettext(
                    "%(count)s plan to discuss in a career interview",
                    "%(count)s plans to discuss in a career interview",
                    to_discuss,
                )
                % {"count": to_discuss},
                _url("learning:plans", query={"status": PlanStatus.PROPOSED}),
            )
        )
    to_sign = counts.get(PlanStatus.DISCUSSED, 0)
    if to_sign:
        todos.append(
            Todo(
                ngettext("%(count)s plan to sign", "%(count)s plans to sign", to_sign)
                % {"count": to_sign},
                _url("learning:plans", query={"status": PlanStatus.DISCUSSED}),
            )
        )
    declared = PlanItem.objects.filter(
        plan__person__in=line,
        status=ItemStatus.DONE,
        completion_confirmed_by__isnull=True,
        completion_declared_by=F("plan__person"),
    ).count()
    if declared:
        todos.append(
            Todo(
                ngettext(
                    "Confirm %(count)s module the person declared completed",
                    "Confirm %(count)s modules people declared completed",
                    declared,
                )
                % {"count": declared},
                _url("learning:plans", query={"status": PlanStatus.IN_PROGRESS}),
            )
        )
    todos += _interviews(me)
    flagged = (
        CurrentLevel.objects.filter(person__in=line)
        .filter(DISAGREEMENT)
        .values("person")
        .distinct()
    ).count()
    if flagged:
        todos.append(
            Todo(
                ngettext(
                    "Talk through ratings that disagree with %(count)s person",
                    "Talk through ratings that disagree with %(count)s people",
                    flagged,
                )
                % {"count": flagged},
                overview,
            )
        )
    return todos


def _interviews(me: Person) -> list[Todo]:
    year = timezone.localdate().year
    held = CareerInterview.objects.filter(held_on__year=year).values("person_id")
    to_hold = Person.objects.filter(manager=me, active=True).exclude(pk__in=held).count()
    to_agree = CareerInterview.objects.filter(manager=me, manager_agreed_at__isnull=True).count()
    todos = []
    if to_hold:
        todos.append(
            Todo(
                ngettext(
                    "%(count)s career interview to hold in %(year)s",
                    "%(count)s career interviews to hold in %(year)s",
                    to_hold,
                )
                % {"count": to_hold, "year": year},
                _url("assessments:interviews", anchor="to-hold"),
                datetime.date(year, 12, 31),
            )
        )
    if to_agree:
        todos.append(
            Todo(
                ngettext(
                    "%(count)s interview record to agree",
                    "%(count)s interview records to agree",
                    to_agree,
                )
                % {"count": to_agree},
                _url("assessments:interviews", query={"status": "open"}),
            )
        )
    return todos


def programme(home: Home) -> None:
    """The lead's: open campaigns and their progress, plans by status, what needs attention."""
    today = timezone.localdate()
    open_ = Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today)
    home.open_campaigns = open_.count()
    for campaign in open_.order_by("closes_on", "name")[:CAMPAIGNS_SHOWN]:
        progress = campaign_progress(campaign)
        home.campaigns.append(
            CampaignRow(
                campaign, progress["population"], progress["self_done"], progress["manager_done"]
            )
        )
    counts = dict(Plan.objects.values_list("status").annotate(n=Count("id")))
    home.plans_by_status = [
        (str(label), counts.get(value, 0), _url("learning:plans", query={"status": value}))
        for value, label in PlanStatus.choices
    ]
    active = Person.objects.filter(active=True)
    without_plan = active.exclude(pk__in=Plan.objects.current().values("person_id")).count()
    if without_plan:
        home.programme.append(
            Todo(
                ngettext(
                    "%(count)s person without a current development plan",
                    "%(count)s people without a current development plan",
                    without_plan,
                )
                % {"count": without_plan},
                _url("learning:generate_population"),
            )
        )
    no_manager = Plan.objects.filter(
        person__manager__isnull=True, status=PlanStatus.DISCUSSED, manager_signed_at__isnull=True
    ).count()
    if no_manager:
        home.programme.append(
            Todo(
                ngettext(
                    "%(count)s plan of someone without a manager awaits its second signature",
                    "%(count)s plans of people without a manager await their second signature",
                    no_manager,
                )
                % {"count": no_manager},
                _url("learning:plans", query={"status": PlanStatus.DISCUSSED}),
            )
        )
    flagged = CurrentLevel.objects.filter(DISAGREEMENT).values("person").distinct().count()
    if flagged:
        home.programme.append(
            Todo(
                ngettext(
                    "%(count)s person with ratings two levels apart",
                    "%(count)s people with ratings two levels apart",
                    flagged,
                )
                % {"count": flagged},
                _url("assessments:overview", anchor="disagreements"),
            )
        )
    closing = [
        row
        for row in home.campaigns
        if row.campaign.closes_on <= today + datetime.timedelta(days=7)
        and row.population
        and row.self_done < row.population / 2
    ]
    for row in closing:
        home.programme.append(
            Todo(
                _("%(campaign)s closes soon with fewer than half the self-assessments")
                % {"campaign": row.campaign.name},
                _url("assessments:campaign", row.campaign.pk),
                row.campaign.closes_on,
            )
        )


def reading(roles: frozenset[str]) -> list[Todo]:
    """Dashboards and reports the reader receives."""
    found: list[Todo] = []
    if roles & {Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL, Role.MANAGER}:
        found.append(Todo(_("Dashboards"), _url("insights:overview")))
    if roles & {Role.LEAD, Role.EXECUTIVE}:
        found.append(
            Todo(
                _("Report for the executive committee (PDF)"),
                _url("insights:report", query={"audience": "executive"}),
            )
        )
    if roles & {Role.LEAD, Role.WORKS_COUNCIL}:
        found.append(
            Todo(
                _("Report for the works council (PDF)"),
                _url("insights:report", query={"audience": "works_council"}),
            )
        )
    return found
