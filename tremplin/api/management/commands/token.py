from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.api import tokens
from tremplin.api.models import SCOPES, TokenKind


class Command(BaseCommand):
    help = (
        "Create an API token and print it once: `tremplin token create --user LOGIN "
        "--scope people:read [--scope …] [--expires DAYS]` (a personal token), or "
        "`--service NAME` for an integration's token."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create"])
        parser.add_argument("--user", help="the login the token acts as (a personal token)")
        parser.add_argument("--service", help="an integration's name (a service token)")
        parser.add_argument("--scope", action="append", default=[], choices=SCOPES)
        parser.add_argument("--expires", type=int, default=None, help="days until it expires")
        parser.add_argument("--name", default="", help="what uses it (default: the login)")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["user"]) == bool(options["service"]):
            raise CommandError("Give either --user LOGIN or --service NAME.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No account with the login {options['user']!r}.")
        try:
            token, text = tokens.create(
                name=options["name"] or options["service"] or options["user"],
                kind=TokenKind.SERVICE if options["service"] else TokenKind.PERSONAL,
                scopes=options["scope"],
                user=user,
                days=options["expires"],
            )
        except tokens.TokenError as refused:
            raise CommandError(str(refused)) from None
        self.stderr.write(
            f"Token {token.prefix}… for {token.user.get_username()}, scopes "
            f"{', '.join(token.scopes)}; shown once, keep it now:"
        )
        self.stdout.write(text)
