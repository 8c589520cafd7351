"""Home page and sign-in, shared by every role."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation

from tremplin.people.models import Person, person_of, roles_of
from tremplin.skills.models import Framework
from tremplin.todos import home_of


class TremplinLoginView(auth_views.LoginView):
    template_name = "login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        """Sign in, then speak the person's preferred language unless they chose one here."""
        response = super().form_valid(form)
        person = person_of(form.get_user())
        chosen = self.request.COOKIES.get("django_language")
        if person is not None and not chosen and isinstance(response, HttpResponseRedirect):
            translation.activate(person.preferred_language)
            response.set_cookie("django_language", person.preferred_language, samesite="Lax")
        return response


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
    }
    return render(request, "home.html", context)
