"""schemathesis against the API's own OpenAPI description: for every operation, generated
requests (valid and not) as the programme lead's service token, never a server error and every
documented answer as described."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tremplin.api import tokens
from tremplin.api.models import SCOPES

pytestmark = [pytest.mark.django_db]


def _schema():
    from django.core.wsgi import get_wsgi_application

    from tremplin.api.routes import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture
def service_token(org):
    from tremplin.learning.catalogue import load_default_catalogue
    from tremplin.skills.services import load_default_framework

    load_default_framework()
    load_default_catalogue()
    return tokens.create(name="schemathesis", kind="service", scopes=list(SCOPES))[1]


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_described(case, service_token, settings_rate):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {service_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


@pytest.fixture
def settings_rate(settings):
    """No rate limit; and the connection kept open between requests, as Django's test client
    does (the WSGI handler closes it at each request's end, which would end the test's
    transaction on PostgreSQL)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    settings.TREMPLIN_API_RATE_PER_MINUTE = 100_000
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
