"""The catalogue fixtures of the learning tests, for the plan e-mails."""

from tests.learning.conftest import catalogue, framework  # noqa: F401
