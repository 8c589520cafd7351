"""The programme lead's API tokens page: who acts through which token, with what scopes, until
when; a new token shown once; revocation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tremplin.alphabetical import by_name
from tremplin.api import tokens
from tremplin.api.models import SCOPES, ApiToken, TokenKind
from tremplin.engagement.forms import flash_errors
from tremplin.params import bounded_int
from tremplin.people.access import role_required
from tremplin.people.models import Role


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name (what uses it)"), max_length=100)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=TokenKind.choices,
        widget=forms.RadioSelect,
        initial=TokenKind.SERVICE,
    )
    user = forms.ModelChoiceField(
        label=gettext_lazy("Acts as (personal token)"),
        required=False,
        queryset=get_user_model()
        .objects.filter(is_active=True, person__isnull=False)
        .order_by(*by_name("person__")),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(s, s) for s in SCOPES],
    )
    days = forms.IntegerField(
        label=gettext_lazy("Expires after (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        initial=365,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["user"]
        field.label_from_instance = lambda u: f"{u.person.full_name} ({u.username})"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == TokenKind.PERSONAL and not data.get("user"):
            self.add_error("user", _("A personal token acts as someone: choose them."))
        return data


@role_required(Role.LEAD)
def tokens_page(request: HttpRequest) -> HttpResponse:
    form = TokenForm()
    created = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        token = get_object_or_404(ApiToken, pk=bounded_int(request.POST.get("token"), 0))
        tokens.revoke(token)
        messages.success(request, _("Token revoked: it no longer works."))
        return redirect("api_tokens:tokens")
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                _token, created = tokens.create(
                    name=data["name"],
                    kind=data["kind"],
                    scopes=list(data["scopes"]),
                    user=data["user"],
                    days=data["days"],
                    by=request.user,
                )
            except tokens.TokenError as refused:
                messages.error(request, str(refused))
            else:
                form = TokenForm()
        else:
            flash_errors(request, form)
    rows = ApiToken.objects.select_related("user", "user__person").order_by("-created_at")[:200]
    return render(request, "api/tokens.html", {"form": form, "rows": rows, "created": created})
