"""The lifecycle links a page shows (members.navigation), read back from its HTML: shared by the
members pages' tests and the dashboards' tests."""

import re

from django.test import Client

#: The roles whose links differ (HQ, HQ staff, the viewer, two branches, a union).
USERS = ["hq", "hq-staff", "viewer", "branch-14", "branch-13", "union-14001"]

_NAV = re.compile(r'<nav class="lifecycle-links".*?</nav>', re.S)


def shown_links(client: Client, page: str) -> set[str] | None:
    """The lifecycle links on the page (None when the viewer cannot open the page itself)."""
    response = client.get(page)
    if response.status_code != 200:
        return None
    found = _NAV.search(response.content.decode())
    return set(re.findall(r'href="([^"?]+)', found.group(0))) if found else set()
