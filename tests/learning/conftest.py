import pytest

from tremplin.learning.catalogue import load_default_catalogue
from tremplin.skills.services import load_default_framework


@pytest.fixture
def framework(org):
    return load_default_framework()


@pytest.fixture
def catalogue(framework):
    load_default_catalogue()
