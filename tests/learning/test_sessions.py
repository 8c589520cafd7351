"""Training sessions: scheduling and its refusals, enrolment with a waiting list, cancellation
and replacement, attendance completing the plan, the pages and who may do what."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation

from tests.browsing import SCREENS
from tests.pdftext import pdf_text
from tremplin.learning import sessions
from tremplin.learning.models import (
    Enrolment,
    EnrolmentStatus,
    ItemStatus,
    Module,
    Plan,
    PlanStatus,
    TrainingSession,
)
from tremplin.learning.sessions import (
    Schedule,
    SessionError,
    cancel,
    cancel_session,
    enrol,
    invited,
    record_attendance,
    schedule,
)
from tremplin.people.models import Person

TOMORROW = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def in_english():
    """The messages below are read in English (the installation's language is French)."""
    with translation.override("en"):
        yield


def _session(module: Module, *, capacity: int = 10, trainer=None, start=None, **more):
    return schedule(
        Schedule(
            module=module,
            starts_at=start or timezone.now() + TOMORROW,
            duration_hours=Decimal(3),
            capacity=capacity,
            language="fr",
            place=more.pop("place", "Salle Lumière, Lyon"),
            trainer=trainer,
            provider=more.pop("provider", "" if trainer else "Organisme partenaire"),
            **more,
        ),
        by=None,
    )


def _held(session: TrainingSession) -> TrainingSession:
    """The session as it stands once it has started (time moved, not the rule)."""
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


def test_schedule_refuses_the_past_no_place_no_trainer_a_foreign_language_and_a_busy_trainer(
    org, catalogue
):
    module = Module.objects.filter(languages=["fr"]).first() or Module.objects.first()
    trainer = org.people["hr"]
    with pytest.raises(SessionError, match="past"):
        _session(module, start=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(SessionError, match="place or a video link"):
        _session(module, place=" ")
    with pytest.raises(SessionError, match="trainer"):
        _session(module, provider="")
    module.languages = ["en"]
    module.save()
    with pytest.raises(SessionError, match="given in en only"):
        _session(module)
    module.languages = ["fr", "en"]
    module.save()
    first = _session(module, trainer=trainer)
    with pytest.raises(SessionError, match="two sessions at once"):  # starts in the first one
        _session(module, trainer=trainer, start=first.starts_at + datetime.timedelta(hours=2))
    with pytest.raises(SessionError, match="two sessions at once"):  # ends in the first one
        _session(module, trainer=trainer, start=first.starts_at - datetime.timedelta(hours=2))
    after = _session(module, trainer=trainer, start=first.ends_at)  # back to back is fine
    assert after.trainer == trainer
    cancel_session(first)
    assert _session(module, trainer=trainer, start=first.starts_at).pk  # the slot is free again


def test_the_last_seat_then_the_waiting_list_then_the_first_waiting_takes_a_freed_seat(
    org, catalogue
):
    session = _session(Module.objects.first(), capacity=2)
    a, b, c, d = (org.people[k] for k in ("seller_a", "seller_b", "accountant", "controller"))
    assert enrol(session, a).status == EnrolmentStatus.ENROLLED
    assert enrol(session, a).status == EnrolmentStatus.ENROLLED  # twice: still one seat
    assert enrol(session, b).status == EnrolmentStatus.ENROLLED
    assert enrol(session, c).status == EnrolmentStatus.WAITING
    assert enrol(session, d).status == EnrolmentStatus.WAITING
    assert Enrolment.objects.filter(session=session).count() == 4
    promoted = cancel(Enrolment.objects.get(session=session, person=a))
    assert promoted is not None and promoted.person == c  # first come, first served
    assert cancel(Enrolment.objects.get(session=session, person=a)) is None  # twice: nothing
    assert cancel(Enrolment.objects.get(session=session, person=d)) is None  # a queue place
    again = enrol(session, a)  # back at the end of the queue
    assert again.status == EnrolmentStatus.WAITING
    seated = Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
    assert {e.person for e in seated} == {b, c}


def test_no_enrolment_in_a_cancelled_or_started_session_nor_for_someone_who_left(org, catalogue):
    module = Module.objects.first()
    cancelled = _session(module)
    cancel_session(cancelled)
    with pytest.raises(SessionError, match="cancelled"):
        enrol(cancelled, org.people["seller_a"])
    started = _held(_session(module))
    with pytest.raises(SessionError, match="started"):
        enrol(started, org.people["seller_a"])
    with pytest.raises(SessionError, match="started"):
        cancel_session(started)
    gone = org.people["seller_b"]
    gone.active = False
    gone.save()
    with pytest.raises(SessionError, match="left the company"):
        enrol(_session(module), gone)


def test_present_completes_the_plan_module_once_and_absent_does_not(org, agreed):
    item = agreed.items.order_by("position").first()
    session = _session(item.module)
    assert org.people["seller_a"] in invited(session.module)
    enrol(session, org.people["seller_a"])
    enrol(session, org.people["seller_b"])
    with pytest.raises(SessionError, match="once the session has started"):
        record_attendance(session, {org.people["seller_a"].pk: "present"}, by=None, recorder=None)
    session = _held(session)
    trainer = org.people["hr"]
    marks = {org.people["seller_a"].pk: "present", org.people["seller_b"].pk: "absent"}
    assert record_attendance(session, marks, by=None, recorder=trainer).completed == 1
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and item.completion_confirmed_by == trainer
    assert item.completed_on == timezone.localtime(session.starts_at).date()
    assert org.people["seller_a"] not in invited(session.module)
    # Recorded again (a correction): no second completion, one row per person.
    assert record_attendance(session, marks, by=None, recorder=trainer).completed == 0
    assert Enrolment.objects.filter(session=session).count() == 2
    assert Plan.objects.get(pk=agreed.pk).status in (PlanStatus.IN_PROGRESS, PlanStatus.DONE)
    with pytest.raises(SessionError, match="present, absent or excused"):
        record_attendance(session, {org.people["seller_a"].pk: "late"}, by=None, recorder=None)
    with pytest.raises(SessionError, match="holding a seat"):
        record_attendance(session, {org.people["ceo"].pk: "present"}, by=None, recorder=None)


@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_the_last_seat_give_one_seat_and_one_place_in_the_queue(
    org, catalogue, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("SKIPPED: concurrent transactions are tested on PostgreSQL")
    session = _session(Module.objects.first(), capacity=1)
    counted = sessions.seats_taken

    def slowly(session):  # both clicks would count the free seat before either takes it
        seats = counted(session)
        time.sleep(0.3)
        return seats

    monkeypatch.setattr(sessions, "seats_taken", slowly)
    people = [org.people["seller_a"], org.people["seller_b"]]
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def click(person: Person) -> None:
        try:
            start.wait()
            enrol(session, person)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    statuses = sorted(Enrolment.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]


def _post(client, session, **data):
    return client.post(f"/development/sessions/{session.pk}/action/", data)


def test_pages_enrol_take_attendance_and_refuse_the_others(client, org, agreed):
    item = agreed.items.order_by("position").first()
    client.force_login(org.users["lead"])
    response = client.post(
        "/development/sessions/new/",
        {"module": item.module.pk, "starts_at": (timezone.localtime() + TOMORROW).strftime(
            "%Y-%m-%dT%H:%M"), "duration_hours": "3", "capacity": "1", "language": "fr",
         "place": "Salle 2", "trainer_id": org.people["accountant"].employee_id},
    )  # fmt: skip
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and session.trainer == org.people["accountant"]
    page = client.get(f"/development/sessions/{session.pk}/").content.decode()
    assert org.people["seller_a"].full_name in page  # invited, not enrolled
    bad = client.post("/development/sessions/new/", {"module": item.module.pk,
                      "starts_at": "2020-01-01T10:00", "duration_hours": "3", "capacity": "0",
                      "language": "fr", "place": ""})  # fmt: skip
    assert bad.status_code == 200 and TrainingSession.objects.count() == 1
    client.force_login(org.users["employee"])
    listing = client.get("/development/sessions/").content.decode()
    assert "in your plan" in listing or "dans votre plan" in listing
    assert client.get("/development/sessions/new/").status_code == 403
    assert _post(client, session, action="enrol").status_code == 302
    assert Enrolment.objects.get(session=session).status == EnrolmentStatus.ENROLLED
    assert _post(client, session, action="cancel_session").status_code == 403
    assert _post(client, session, action="attendance").status_code == 403
    client.force_login(org.users["ambassador"])  # the trainer
    _held(session)
    key = f"attendance_{org.people['seller_a'].pk}"
    client.cookies["django_language"] = "en"
    said = client.post(f"/development/sessions/{session.pk}/action/",
                       {"action": "attendance", key: "present"}, follow=True)  # fmt: skip
    assert "Attendance recorded. 1 plan module completed." in said.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    said = client.post(f"/development/sessions/{session.pk}/action/",
                       {"action": "attendance", key: "absent"}, follow=True)  # fmt: skip
    assert "1 plan module reopened: present corrected" in said.content.decode()
    assert _post(client, session, action="attendance", **{key: "present"}).status_code == 302
    client.force_login(org.users["manager"])  # the seller's manager is not the trainer
    assert _post(client, session, action="attendance", **{key: "absent"}).status_code == 403


def test_the_demo_sessions_one_held_with_attendance_and_others_to_come(org, agreed):
    from tremplin.learning.demo import build_sessions

    assert build_sessions() == 7  # held, two with people enrolled, four for mixed groups
    held, *coming = TrainingSession.objects.order_by("starts_at")
    assert held.starts_at < timezone.now() < coming[0].starts_at
    seat = Enrolment.objects.get(session=held, person=org.people["seller_a"])
    assert seat.attendance == "excused"  # the first of the shuffled fourteen is excused
    seated = [s.enrolments.filter(status=EnrolmentStatus.ENROLLED).count() for s in coming]
    assert seated == [1, 1, 0, 0, 0, 0]


def _pdf_text(response) -> str:
    assert response.status_code == 200
    return pdf_text(response)


def test_the_attendance_sheet_and_the_certificates(client, org, agreed):
    item = agreed.items.order_by("position").first()
    session = _session(item.module, trainer=org.people["accountant"])
    TrainingSession.objects.filter(pk=session.pk).update(duration_hours=7)  # a whole day
    for key in ("seller_a", "seller_b"):
        enrol(session, org.people[key])
    session = _held(session)
    marks = {org.people["seller_a"].pk: "present", org.people["seller_b"].pk: "absent"}
    record_attendance(session, marks, by=None, recorder=org.people["accountant"])
    client.force_login(org.users["ambassador"])  # the trainer
    sheet = _pdf_text(client.get(f"/development/sessions/{session.pk}/attendance.pdf",
                                 HTTP_ACCEPT_LANGUAGE="fr"))  # fmt: skip
    assert "Feuille d’émargement" in sheet and "Matin" in sheet and "Après-midi" in sheet
    assert "SELLER_A" in sheet and "SELLER_B" in sheet and item.module.code in sheet
    SCREENS.mkdir(parents=True, exist_ok=True)  # looked at as an image
    (SCREENS / "attendance-sheet-fr.pdf").write_bytes(
        client.get(f"/development/sessions/{session.pk}/attendance.pdf",
                   HTTP_ACCEPT_LANGUAGE="fr").content
    )  # fmt: skip
    seller = org.people["seller_a"]
    mine = f"/development/sessions/{session.pk}/certificates/{seller.pk}.pdf"
    client.force_login(org.users["employee"])  # the seller, present
    answer = client.get(mine, HTTP_ACCEPT_LANGUAGE="en")
    (SCREENS / "certificate-en.pdf").write_bytes(answer.content)
    text = _pdf_text(answer)
    assert "Certificate of attendance" in text and seller.full_name in text
    assert client.get(f"/development/sessions/{session.pk}/attendance.pdf").status_code == 403
    absent = f"/development/sessions/{session.pk}/certificates/{org.people['seller_b'].pk}.pdf"
    assert client.get(absent).status_code == 403  # someone else's
    client.force_login(org.users["manager"])  # neither the person, the trainer nor the lead
    # the same answer whether the person attended or not: it must not tell who did
    assert client.get(mine).status_code == client.get(absent).status_code == 403
    client.force_login(org.users["ambassador"])  # the trainer: an absentee has no certificate
    assert client.get(absent).status_code == 404


def test_present_corrected_to_absent_withdraws_the_completion(org, agreed):
    from tremplin.assessments.models import CurrentLevel, Rating, Source
    from tremplin.learning.models import ItemStatus, PlanEvent

    item = agreed.items.order_by("position").first()
    seller = org.people["seller_a"]
    before = dict(CurrentLevel.objects.filter(person=seller).values_list("competence_id", "level"))
    session = _session(item.module, trainer=org.people["accountant"])
    enrol(session, seller)
    session = _held(session)
    record_attendance(session, {seller.pk: "present"}, by=None, recorder=org.people["accountant"])
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    assert Rating.objects.filter(person=seller, source=Source.TRAINING).exists()
    done = record_attendance(session, {seller.pk: "absent"}, by=None,
                             recorder=org.people["accountant"])  # fmt: skip
    assert (done.completed, done.reopened) == (0, 1)
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED and item.completed_on is None
    assert not Rating.objects.filter(person=seller, source=Source.TRAINING).exists()
    after = dict(CurrentLevel.objects.filter(person=seller).values_list("competence_id", "level"))
    assert after == before
    assert PlanEvent.objects.filter(plan=agreed, kind=PlanEvent.Kind.REOPENED).count() == 1
    # Absent again: nothing more to withdraw.
    done = record_attendance(session, {seller.pk: "excused"}, by=None,
                             recorder=org.people["accountant"])  # fmt: skip
    assert done.reopened == 0
    assert PlanEvent.objects.filter(plan=agreed, kind=PlanEvent.Kind.REOPENED).count() == 1


def test_the_sessions_list_is_in_date_order(client, org, agreed):
    """Its seat count dropped the model's ordering: the list came in the order sessions were
    created (11/12, 25/12, 01/01, 18/12 …)."""
    module = agreed.items.order_by("position").first().module
    days = (9, 2, 30, 16)
    made = [_session(module, start=timezone.now() + datetime.timedelta(days=d)) for d in days]
    client.force_login(org.users["lead"])
    listed = [row["session"].pk for row in client.get("/development/sessions/").context["rows"]]
    assert listed == [made[i].pk for i in sorted(range(4), key=lambda i: days[i])]


def test_a_trainer_s_past_sessions_count_each_seat_once(client, org, agreed):
    """Filtering on the enrolments after counting them joined them twice: the trainer read 4
    seats taken where 2 were."""
    item = agreed.items.order_by("position").first()
    session = _session(item.module, trainer=org.people["accountant"])
    enrol(session, org.people["seller_a"])
    enrol(session, org.people["seller_b"])
    _held(session)
    client.force_login(org.users["ambassador"])  # the trainer, not the lead
    rows = client.get("/development/sessions/", {"past": 1}).context["rows"]
    assert [(r["session"].pk, r["session"].taken) for r in rows] == [(session.pk, 2)]
    client.force_login(org.users["employee"])  # seated: sees the session too
    rows = client.get("/development/sessions/", {"past": 1}).context["rows"]
    assert [(r["session"].pk, r["session"].taken) for r in rows] == [(session.pk, 2)]
