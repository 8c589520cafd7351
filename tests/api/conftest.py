import pytest

from tremplin.api import tokens
from tremplin.api.models import SCOPES


@pytest.fixture
def bearer(org):
    """bearer(who, *scopes) → the Authorization header of a new personal token of `who` (an
    org account), or of a service token when who is "service"."""

    def make(who: str, *scopes: str, days: int | None = None) -> dict[str, str]:
        kind = "service" if who == "service" else "personal"
        user = None if who == "service" else org.users[who]
        _token, text = tokens.create(
            name=who, kind=kind, scopes=list(scopes or SCOPES), user=user, days=days
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {text}"}

    return make
