"""Home page, sign-in and the site's icon, shared by every role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation

from tremplin.people.models import Company, Person, Role, person_of, roles_of
from tremplin.skills.models import Framework
from tremplin.start import checklist
from tremplin.todos import home_of


class TremplinLoginView(auth_views.LoginView):
    template_name = "login.html"
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """An installation without any account starts with its first programme lead."""
        if not User.objects.exists():
            return redirect("start")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Sign in, then speak the person's preferred language unless they chose one here."""
        response = super().form_valid(form)
        if isinstance(response, HttpResponseRedirect):
            speak_their_language(self.request, response, form.get_user())
        return response


def speak_their_language(request: HttpRequest, response: HttpResponse, user: Any) -> None:
    """After signing in (by password or single sign-on): the person's preferred language,
    unless they chose one on the sign-in page."""
    person = person_of(user)
    if person is not None and not request.COOKIES.get("django_language"):
        translation.activate(person.preferred_language)
        response.set_cookie("django_language", person.preferred_language, samesite="Lax")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the reader has to do now, by the hats they wear (`tremplin.todos`)."""
    me = person_of(request.user)
    team_size = Person.objects.reporting_line_of(me).count() if me else 0
    framework = Framework.objects.filter(is_active=True).first()
    context = {
        "me": me,
        "team_size": team_size,
        "framework": framework,
        "home": home_of(me, roles_of(request.user)),
        "company": Company.current(),
    }
    if Role.LEAD in roles_of(request.user):
        context.update(checklist())
    return render(request, "home.html", context)


def locked_out(request: HttpRequest, credentials: Any, *args: Any, **kwargs: Any) -> HttpResponse:
    """Signing in is paused for this user name from this address (django-axes)."""
    minutes = settings.LOGIN_COOLOFF_MINUTES
    return render(request, "locked.html", {"cooloff_minutes": minutes}, status=429)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page declares: they get the SVG icon."""
    return redirect(static("tremplin/favicon.svg"))
