from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from tremplin.notifications.calendar import person_feed
from tremplin.notifications.models import CalendarFeed, Message, Preference
from tremplin.people.models import person_of


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
