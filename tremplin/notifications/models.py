"""The outbox: every e-mail Tremplin sends waits here, rendered in its recipient's language,
until it is due; a failed delivery is retried later with its error kept, never lost."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.notifications.labels import KINDS, REASONS
from tremplin.people.models import Person


class Message(models.Model):
    person = models.ForeignKey(
        Person, models.CASCADE, related_name="messages", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=list(KINDS.items()))
    to = models.EmailField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=250)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"))
    ics = models.TextField(_("calendar file"), blank=True)
    # The object it is about, checked again when it is sent (a reminder for a seat given up).
    session_id = models.IntegerField(null=True, blank=True)
    about = models.CharField(max_length=40, blank=True)  # "campaign:12", "plan:7"...
    due_at = models.DateTimeField(_("due"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    dropped = models.CharField(
        _("not sent, because"), max_length=200, blank=True, choices=list(REASONS.items())
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [
            models.Index(fields=["sent_at", "due_at"], name="message_due"),
            # The sender's query: the next unsent messages in order, without sorting the outbox.
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(sent_at=None, dropped=""),
                name="message_to_send",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to}"


class Preference(models.Model):
    """A person's choice to receive only the e-mails they cannot do without."""

    person = models.OneToOneField(
        Person, models.CASCADE, related_name="email_preference", verbose_name=_("person")
    )
    essential_only = models.BooleanField(_("only the essential e-mails"), default=False)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self) -> str:
        return f"{self.person} {'essential only' if self.essential_only else 'all'}"


class CalendarFeed(models.Model):
    """A person's calendar address: a secret in the URL (calendar applications cannot sign in),
    replaced when the person asks, which revokes the old address."""

    person = models.OneToOneField(
        Person, models.CASCADE, related_name="calendar_feed", verbose_name=_("person")
    )
    token = models.CharField(_("secret"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.person} calendar"
