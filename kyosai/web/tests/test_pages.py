import pytest

from kyosai.results import selectors
from kyosai.web.tests.federation import AS_OF

pytestmark = pytest.mark.django_db


def test_smoke(federation, login):
    client = login("hq")
    for url in ["/scorecard/", "/scorecard/?as_of=2024-11", "/groups/total/", "/products/general/",
                "/products/vehicle_damage/", "/regions/", "/regions/kantoko/", "/branches/",
                "/branches/14/", "/branches/14/?item=p:mycar&measure=new_contracts",
                "/unions/14001/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    rows = selectors.scorecard(AS_OF, by="group")
    assert rows
