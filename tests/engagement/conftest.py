import pytest

from tremplin.assessments.models import Source
from tremplin.assessments.services import record_ratings
from tremplin.engagement.badges import load_suggested
from tremplin.skills.models import Competence
from tremplin.skills.services import load_default_framework


@pytest.fixture
def framework(org):
    return load_default_framework()


@pytest.fixture
def suggested(framework):
    load_suggested()


def rate(person, levels: dict[str, int], source: str = Source.MANAGER):
    """Levels by competence code, recorded as one assessor's ratings and consolidated."""
    found = {c.code: c for c in Competence.objects.filter(framework__is_active=True)}
    record_ratings(person=person, levels={found[code]: v for code, v in levels.items()},
                   source=source, assessor=None)  # fmt: skip
