"""Badges' pages: the list (criteria, my badges; the lead awards, revokes and defines), and the
public side of the credentials: each badge's criteria, each credential's verification page and
JSON, the issuer's profile with its keys, the revocation list, and a form that checks any
credential pasted or uploaded."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tremplin.engagement import badges as service
from tremplin.engagement.badge_models import Award, Badge
from tremplin.engagement.forms import flash_errors
from tremplin.params import bounded_int
from tremplin.people.access import role_required
from tremplin.people.models import Person, Role, person_of, roles_of

MAX_CREDENTIAL = 200_000  # bytes of a credential pasted or uploaded for checking
LD_JSON = "application/ld+json"
STATUS = {
    "valid": gettext_lazy("Valid: signed by this issuer, unchanged, not revoked."),
    "revoked": gettext_lazy("Revoked by the issuer."),
    "expired": gettext_lazy("Expired."),
    "not-yet-valid": gettext_lazy("Not valid yet."),
    "unknown-key": gettext_lazy("Not signed with a key of this issuer."),
    "bad-signature": gettext_lazy("The signature does not match: the credential was altered."),
    "wrong-key": gettext_lazy("Not signed with a key of this issuer."),
    "malformed": gettext_lazy("This is not a well-formed Open Badges credential."),
    "invalid": gettext_lazy("This credential does not verify."),
}


class BadgeForm(forms.ModelForm):
    class Meta:
        model = Badge
        fields = ["slug", "name_fr", "name_en", "description_fr", "description_en",
                  "criteria_fr", "criteria_en", "criterion", "competences", "level", "sessions",
                  "automatic", "active"]  # fmt: skip
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in
                   ("description_fr", "description_en", "criteria_fr", "criteria_en")}  # fmt: skip


class CheckForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Paste a credential (JSON)"),
        required=False,
        max_length=MAX_CREDENTIAL,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(label=gettext_lazy("or choose its file"), required=False)

    def document(self) -> dict[str, Any]:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            if upload.size > MAX_CREDENTIAL:
                raise forms.ValidationError(_("This file is too large to be a credential."))
            raw = upload.read(MAX_CREDENTIAL + 1)
        else:
            raw = (self.cleaned_data.get("text") or "").encode()
        try:
            found = json.loads(raw)
        except (ValueError, RecursionError):
            raise forms.ValidationError(_("This is not JSON.")) from None
        if not isinstance(found, dict):
            raise forms.ValidationError(_("A credential is a JSON object."))
        return found


@never_cache
@login_required
def badges(request: HttpRequest) -> HttpResponse:
    is_lead = Role.LEAD in roles_of(request.user)
    me = person_of(request.user)
    form = BadgeForm(request.POST or None) if is_lead else None
    if request.method == "POST":
        if not is_lead:
            raise PermissionDenied
        _lead_post(request, form)
        return redirect("engagement:badges")
    rows = Badge.objects.annotate(
        holders=Count("awards", filter=Q(awards__revoked_at__isnull=True))
    ).order_by("name_" + ("en" if translation.get_language() == "en" else "fr"))
    return render(request, "engagement/badges.html", {
        "rows": rows, "form": form,
        "mine": Award.objects.filter(person=me).select_related("badge") if me else [],
        "recent": Award.objects.select_related("badge", "person")[:30] if is_lead else [],
    })  # fmt: skip


def _lead_post(request: HttpRequest, form: BadgeForm | None) -> None:
    action = request.POST.get("action", "")
    if action == "define" and form is not None:
        if form.is_valid():
            form.save()
            messages.success(request, _("Badge saved."))
        else:
            flash_errors(request, form)
    elif action == "due":
        n = service.award_due()
        messages.success(request, _("%(n)s badges awarded.") % {"n": n})
    elif action == "give":
        badge = get_object_or_404(Badge, pk=bounded_int(request.POST.get("badge"), 0))
        person = Person.objects.filter(employee_id=request.POST.get("employee_id", "").strip(),
                                       active=True).first()  # fmt: skip
        if person is None:
            messages.error(request, _("No active person has this employee id."))
            return
        try:
            service.give(badge, person, request.user, request.POST.get("evidence", ""))
            messages.success(request, _("Badge awarded."))
        except ValueError:
            messages.error(request, _("%(name)s already holds this badge.") % {"name": person})
    elif action == "revoke":
        award = get_object_or_404(Award, pk=bounded_int(request.POST.get("award"), 0),
                                  revoked_at__isnull=True)  # fmt: skip
        because = request.POST.get("because", "").strip()
        if not because:
            messages.error(request, _("Say why the badge is revoked: the reason is published."))
            return
        service.revoke(award, because)
        messages.success(request, _("Badge revoked."))
    else:
        raise PermissionDenied


def badge(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: what a badge means and how it is earned, in the language asked for."""
    found = get_object_or_404(Badge, slug=slug)
    language = request.GET.get("lang")
    if language not in ("fr", "en"):
        return render(request, "engagement/badge.html", {"badge": found})
    with translation.override(language):
        return render(request, "engagement/badge.html", {"badge": found})


@never_cache
def credential(request: HttpRequest, uid: str) -> HttpResponse:
    """Public: a credential's verification page, or the credential itself (?format=json)."""
    award = Award.objects.select_related("badge", "person").filter(uid=uid).first()
    if award is None:
        raise Http404
    document = service.credential(award)
    if request.GET.get("format") == "json":
        response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2),
                                content_type=LD_JSON)  # fmt: skip
        response["Content-Disposition"] = content_disposition_header(
            True, f"badge-{award.badge.slug}-{uid}.json"
        )
        return response
    status, _verified = service.check(document)
    me = person_of(request.user) if request.user.is_authenticated else None
    return render(request, "engagement/credential.html", {
        "award": award, "status": status, "message": STATUS.get(status, STATUS["invalid"]),
        "is_holder": me is not None and me.pk == award.person_id,
    })  # fmt: skip


@csrf_exempt  # a public form that changes nothing
def verify(request: HttpRequest) -> HttpResponse:
    """Public: check any credential against this issuer's keys and revocation list."""
    form = CheckForm(request.POST or None, request.FILES or None)
    status = message = None
    if request.method == "POST" and form.is_valid():
        try:
            status, _verified = service.check(form.document())
            message = STATUS.get(status, STATUS["invalid"])
        except forms.ValidationError as error:
            form.add_error(None, error)
    return render(request, "engagement/verify.html", {"form": form, "status": status,
                                                      "message": message})  # fmt: skip


def issuer(request: HttpRequest) -> JsonResponse:
    return JsonResponse(service.issuer(), content_type=LD_JSON)


def issuer_key(request: HttpRequest, kid: str) -> JsonResponse:
    public = service.public_key_of(kid)
    if public is None:
        raise Http404
    profile = service.issuer()
    method = next(m for m in profile["verificationMethod"] if m["publicKeyMultibase"] == public)
    return JsonResponse({"@context": profile["@context"], **method}, content_type=LD_JSON)


@never_cache
def revocations(request: HttpRequest) -> JsonResponse:
    return JsonResponse(service.revocation_list(), content_type=LD_JSON)


@require_POST
@role_required(Role.LEAD)
def rotate(request: HttpRequest) -> HttpResponse:
    service.rotate()
    messages.success(request, _("New signing key in use; the old one stays published."))
    return redirect("engagement:badges")
