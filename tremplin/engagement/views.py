"""The prompt coach: a person pastes a prompt and reads what it has, what it lacks and what it
should not carry, before sending it anywhere. Nothing is stored and nothing leaves the server."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from tremplin.compute.prompts import review
from tremplin.engagement.models import CoachSettings
from tremplin.people.models import Role, roles_of

MAX_PROMPT = 20_000
QUALITIES = {
    "task": gettext_lazy("a task verb (write, summarise, compare…)"),
    "context": gettext_lazy("context (the situation, the company, the goal)"),
    "audience": gettext_lazy("an audience or a role (“you are…”, “for readers who…”)"),
    "format": gettext_lazy("an expected format (table, bullet points, length)"),
    "constraints": gettext_lazy("constraints (what to avoid, limits)"),
    "examples": gettext_lazy("an example of what you expect"),
}
KINDS = {
    "email": gettext_lazy("e-mail address"), "phone": gettext_lazy("phone number"),
    "iban": gettext_lazy("bank account (IBAN)"), "nir": gettext_lazy("social-security number"),
    "siren": gettext_lazy("company number (SIREN)"), "siret": gettext_lazy("SIRET number"),
    "card": gettext_lazy("payment card number"), "client": gettext_lazy("client name"),
}  # fmt: skip


class PromptForm(forms.Form):
    prompt = forms.CharField(label=gettext_lazy("Your prompt"), max_length=MAX_PROMPT,
                             widget=forms.Textarea(attrs={"rows": 8}))  # fmt: skip


class ClientsForm(forms.ModelForm):
    class Meta:
        model = CoachSettings
        fields = ["clients"]
        widgets = {"clients": forms.Textarea(attrs={"rows": 4})}


@never_cache
@login_required
def coach(request: HttpRequest) -> HttpResponse:
    settings = CoachSettings.current()
    is_lead = Role.LEAD in roles_of(request.user)
    if request.method == "POST" and "clients" in request.POST and is_lead:
        clients = ClientsForm(request.POST, instance=settings)
        if clients.is_valid():
            clients.save()
            messages.success(request, _("Client names saved."))
        return redirect("engagement:coach")
    form = PromptForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = review(form.cleaned_data["prompt"], settings.client_names())
    return render(request, "engagement/coach.html", {
        "form": form, "review": found, "qualities": QUALITIES, "kinds": KINDS,
        "is_lead": is_lead, "clients": ClientsForm(instance=settings),
    })  # fmt: skip
