"""Schemathesis against the generated OpenAPI schema, through the WSGI app: a bounded number of
examples per operation, as HQ; no 500 and every documented response matches its schema."""

from typing import Any

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kyosai.api.tokens import create_token
from kyosai.wsgi import application

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app sends request_started/finished, whose close_old_connections would close the
    test's connection inside its transaction on PostgreSQL (Django's test client does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def hq_token(federation):
    _, raw = create_token(get_user_model().objects.get(username="hq"), name="schemathesis")
    return raw


def _generated() -> dict[str, Any]:  # the OpenAPI document: JSON
    from drf_spectacular.generators import SchemaGenerator

    schema: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return schema


schema = schemathesis.openapi.from_dict(_generated())


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_its_own_schema(case, hq_token):
    case.call_and_validate(app=application, headers={"Authorization": f"Bearer {hq_token}"},
                           checks=[not_a_server_error, response_schema_conformance])
