from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "tremplin.people"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from tremplin.sqlite_like import install

        connection_created.connect(install, dispatch_uid="tremplin-sqlite-like")
