from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from tremplin.notifications import outbox
from tremplin.notifications.calendar import person_feed
from tremplin.notifications.models import CalendarFeed, Message, Preference
from tremplin.people.access import role_required
from tremplin.people.models import Role, person_of


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """A person's e-mails: turn the optional ones off, and see the last ones sent to them."""
    me = person_of(request.user)
    if me is None:
        raise Http404
    choice, _created = Preference.objects.get_or_create(person=me)
    if request.method == "POST" and request.POST.get("feed") in ("new", "off"):
        CalendarFeed.objects.filter(person=me).delete()  # the old address stops working
        if request.POST["feed"] == "new":
            CalendarFeed.objects.create(person=me, token=secrets.token_urlsafe(32))
            messages.success(
                request, _("Your calendar address is ready; an older one no longer works.")
            )
        else:
            messages.success(request, _("Your calendar address no longer works."))
        return redirect("notifications:preferences")
    if request.method == "POST":
        choice.essential_only = request.POST.get("essential_only") == "on"
        choice.save(update_fields=["essential_only"])
        messages.success(request, _("Your choice is saved."))
        return redirect("notifications:preferences")
    waiting = Message.objects.filter(person=me, sent_at=None, dropped="")
    outbox.drop_stale(waiting.order_by("-due_at")[:200])  # not shown as to be sent
    recent = Message.objects.filter(person=me).order_by("-due_at")[:20]
    feed = CalendarFeed.objects.filter(person=me).first()
    feed_url = (
        request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])) if feed else ""
    )
    return render(request, "notifications/preferences.html",
                  {"choice": choice, "recent": recent, "email": me.email, "feed": feed,
                   "feed_url": feed_url})  # fmt: skip


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's sessions and interviews for their calendar application (no sign-in: the
    secret address is the key), in their language."""
    feed = CalendarFeed.objects.select_related("person").filter(token=token).first()
    if feed is None or not feed.person.active:
        raise Http404
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    with translation.override(feed.person.preferred_language or settings.LANGUAGE_CODE):
        body = person_feed(feed.person)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, "tremplin.ics") or ""
    return response


@role_required(Role.LEAD)
def outbox_report(request: HttpRequest) -> HttpResponse:
    """The programme lead's view of the outbox: what waits, what went, what failed and why,
    what was not sent and why; the messages that failed every attempt can be tried again."""
    if request.method == "POST":
        n = outbox.retry_failed()
        messages.success(request, _("%(n)s e-mails will be tried again.") % {"n": n})
        return redirect("notifications:outbox")
    since = timezone.now() - datetime.timedelta(days=30)
    recent = Message.objects.filter(due_at__gte=since)
    counts = {
        "waiting": recent.filter(sent_at=None, dropped="", attempts=0).count(),
        "sent": recent.exclude(sent_at=None).count(),
        "failing": recent.filter(sent_at=None, dropped="", attempts__gt=0).count(),
        "not_sent": recent.exclude(dropped="").count(),
    }
    problems = (
        Message.objects.filter(sent_at=None)
        .filter(Q(attempts__gt=0, dropped="") | Q(dropped="invalid address"))
        .select_related("person").order_by("-due_at", "-pk")[:200]
    )  # fmt: skip
    exhausted = Message.objects.filter(sent_at=None, dropped="",
                                       attempts__gte=outbox.MAX_ATTEMPTS).count()  # fmt: skip
    return render(request, "notifications/outbox.html",
                  {"counts": counts, "problems": problems, "exhausted": exhausted})  # fmt: skip
