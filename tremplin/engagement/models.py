"""Engagement: for now, the prompt coach's settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CoachSettings(models.Model):
    """One row, edited by the programme lead: the client names a prompt must not carry."""

    clients = models.TextField(
        _("client names"), blank=True,
        help_text=_("One per line. The prompt coach warns when a prompt names one of them."),
    )  # fmt: skip

    def __str__(self) -> str:
        return str(_("prompt coach settings"))

    @classmethod
    def current(cls) -> CoachSettings:
        return cls.objects.order_by("pk").first() or cls.objects.create()

    def client_names(self) -> list[str]:
        return [line.strip() for line in self.clients.splitlines() if line.strip()]
