from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "tremplin.accountability"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from tremplin.accountability import signals  # noqa: F401  (sign-ins in the audit log)
