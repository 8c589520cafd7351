import pytest

from tremplin.assessments.bank import load_default_bank
from tremplin.skills.services import load_default_framework


@pytest.fixture
def framework(org):
    return load_default_framework()


@pytest.fixture
def bank(framework):
    load_default_bank()
