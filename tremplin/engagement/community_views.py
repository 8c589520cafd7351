"""Communities of practice: a topic, hosts (ambassadors), members, meetings and a shared library
of prompts and resources (checked for confidential items before they are shared)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tremplin.alphabetical import Alphabetical
from tremplin.engagement.challenge_models import Community, CommunityMeeting, Resource
from tremplin.engagement.challenges import leaked
from tremplin.engagement.forms import flash_errors
from tremplin.params import bounded_int
from tremplin.people.models import Person, Role, person_of, roles_of


class CommunityForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = ["name", "topic", "hosts"]
        widgets = {"topic": forms.Textarea(attrs={"rows": 3}),
                   "hosts": forms.SelectMultiple(attrs={"size": 5})}  # fmt: skip

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["hosts"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            ambassadorship__status="active"
        )
        self.fields["hosts"].help_text = gettext_lazy("Ambassadors host communities.")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = CommunityMeeting
        fields = ["starts_at", "minutes", "place", "agenda"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                    format="%Y-%m-%dT%H:%M"),
                   "agenda": forms.Textarea(attrs={"rows": 2})}  # fmt: skip


class ResourceForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("link"), required=False, assume_scheme="https")

    class Meta:
        model = Resource
        fields = ["kind", "title", "body", "url"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        found = leaked(str(data.get("title", "")), str(data.get("body", "")))
        if found:
            raise forms.ValidationError(
                _("Remove what is confidential before sharing: %(items)s")
                % {"items": ", ".join(found)}
            )
        if not data.get("body") and not data.get("url"):
            raise forms.ValidationError(_("Give the content or a link."))
        return data


@never_cache
@login_required
def communities(request: HttpRequest) -> HttpResponse:
    is_lead = Role.LEAD in roles_of(request.user)
    form = CommunityForm(request.POST or None)
    if request.method == "POST":
        if not is_lead:
            raise PermissionDenied
        if form.is_valid():
            made = form.save()
            messages.success(request, _("Community created."))
            return redirect("engagement:community", made.pk)
    me = person_of(request.user)
    # A count drops the model's ordering: named again.
    rows = (
        Community.objects.annotate(n_members=Count("members", distinct=True))
        .prefetch_related("hosts")
        .order_by(Alphabetical("name"))
    )
    mine = set(me.communities.values_list("pk", flat=True)) if me else set()
    return render(request, "engagement/communities.html", {
        "rows": rows, "mine": mine, "form": form if is_lead else None,
    })  # fmt: skip


def _hosts(community: Community, me: Person | None, is_lead: bool) -> bool:
    return is_lead or (me is not None and community.hosts.filter(pk=me.pk).exists())


@never_cache
@login_required
def community(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Community, pk=pk)
    me = person_of(request.user)
    hosting = _hosts(found, me, Role.LEAD in roles_of(request.user))
    member = me is not None and found.members.filter(pk=me.pk).exists()
    now = timezone.now()
    return render(request, "engagement/community.html", {
        "community": found, "hosting": hosting, "member": member,
        "coming": found.meetings.filter(starts_at__gte=now),
        "past": found.meetings.filter(starts_at__lt=now).order_by("-starts_at")[:10],
        "library": found.resources.select_related("author")[:100],
        "members": found.members.count(), "meeting": MeetingForm(),
        "resource": ResourceForm(),
    })  # fmt: skip


@require_POST
@login_required
def community_action(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Community, pk=pk)
    me = person_of(request.user)
    if me is None:
        raise PermissionDenied
    hosting = _hosts(found, me, Role.LEAD in roles_of(request.user))
    member = found.members.filter(pk=me.pk).exists() or hosting
    action = request.POST.get("action", "")
    if action == "join":
        found.members.add(me)
        messages.success(request, _("Welcome to the community."))
    elif action == "leave":
        found.members.remove(me)
        messages.success(request, _("You have left the community."))
    elif action == "meeting" and hosting:
        _save(request, MeetingForm(request.POST), community=found, message=_("Meeting planned."))
    elif action == "resource" and member:
        _save(request, ResourceForm(request.POST), community=found, author=me,
              message=_("Shared with the community."))  # fmt: skip
    elif action == "remove" and hosting:
        found.resources.filter(pk=bounded_int(request.POST.get("resource"), 0)).delete()
    else:
        raise PermissionDenied
    return redirect("engagement:community", found.pk)


def _save(request: HttpRequest, form: forms.ModelForm, *, message: str, **fields: object) -> None:
    if not form.is_valid():
        flash_errors(request, form)
        return
    made = form.save(commit=False)
    for key, value in fields.items():
        setattr(made, key, value)
    made.save()
    messages.success(request, message)
