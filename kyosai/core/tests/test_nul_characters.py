"""A NUL character in a query or form value is a 400 with a Japanese message, on every database."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def hq(client):
    user = get_user_model().objects.create_superuser("nul-hq", password="x-very-long-password")
    client.force_login(user)
    return client


def test_a_nul_in_the_query_is_refused_before_any_view(hq):
    response = hq.get("/scorecard/", {"as_of": "2024-11\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_written(hq):
    from kyosai.core.models import AuditEntry

    before = AuditEntry.objects.count()
    response = hq.post("/accounts/tokens/", {"name": "a\x00b"})
    assert response.status_code == 400
    assert AuditEntry.objects.count() == before
