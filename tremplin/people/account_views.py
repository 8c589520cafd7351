"""The lead gives logins and roles from the people pages; a person sets their password from
the invitation link (`tremplin.people.accounts`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from tremplin.alphabetical import by_name
from tremplin.downloads import file_name
from tremplin.people.access import role_required
from tremplin.people.accounts import (
    Invitation,
    give_login,
    give_logins,
    invitation_path,
    invitations_csv,
    set_roles,
)
from tremplin.people.models import Person, Role


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_POST
@role_required(Role.LEAD)
def person_account(request: HttpRequest, pk: int) -> HttpResponse:
    """Give `person` a login with the roles ticked, or change the roles of their login."""
    person = get_object_or_404(Person, pk=pk)
    roles = request.POST.getlist("roles")
    if person.user is None:
        if not person.active:
            messages.error(request, _("An inactive person gets no login."))
        else:
            invitation = give_login(person, roles)
            messages.success(
                request,
                _("Login “%(login)s” created: pass on the invitation link below.")
                % {"login": invitation.username},
            )
    else:
        set_roles(person.user, roles)
        messages.success(request, _("Roles saved."))
    return redirect("people:detail", pk=pk)


@role_required(Role.LEAD)
def accounts(request: HttpRequest) -> HttpResponse:
    """Logins for everyone active without one, in one go; the pending invitations as CSV."""
    without = Person.objects.filter(active=True, user__isnull=True)
    if request.method == "POST":
        made = give_logins(dict.fromkeys(without))
        messages.success(
            request,
            ngettext("%(count)s login created.", "%(count)s logins created.", len(made))
            % {"count": len(made)},
        )
        return redirect("people:accounts")
    pending = User.objects.filter(person__isnull=False, password__startswith="!")
    return render(
        request,
        "people/accounts.html",
        {"without": without.count(), "pending": pending.count()},
    )


@role_required(Role.LEAD)
def invitations(request: HttpRequest) -> HttpResponse:
    """Every login whose password is not set yet, with its link, as CSV."""
    pending = (
        User.objects.filter(person__isnull=False, password__startswith="!")
        .select_related("person")
        .order_by(*by_name("person__"))
    )
    rows = [Invitation(u.person, u.username, invitation_path(u)) for u in pending]
    response = HttpResponse(invitations_csv(rows, _site(request)),
                            content_type="text/csv; charset=utf-8")  # fmt: skip
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = content_disposition_header(
        True, file_name("tremplin", pgettext("file name", "invitations"), day, extension="csv")
    )
    return response


class Welcome(auth_views.PasswordResetConfirmView):
    """The invitation link: the person chooses their password, then is signed in."""

    template_name = "welcome.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")
