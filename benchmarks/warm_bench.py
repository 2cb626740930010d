"""The first dashboard view after new data: with an empty cache, and after the warming that
`kyosai import results|targets`, `kyosai demo-data` and uploads run (kyosai.web.warm).

Works on the database of the current environment (run `kyosai demo-data` first), in process with
Django's test client as the demo user `hq` (no server, no network):

    KYOSAI_ENV=development KYOSAI_HOME=/tmp/kyosai-demo kyosai init
    KYOSAI_ENV=development KYOSAI_HOME=/tmp/kyosai-demo kyosai demo-data
    KYOSAI_ENV=development KYOSAI_HOME=/tmp/kyosai-demo .venv/bin/python benchmarks/warm_bench.py

Prints the first view of each page on an empty cache, the warming's own time, and the first view
of each page after it (the page bodies are cached per access scope, so this first view still
renders; only the figures come from the cache).
"""

import os
import time

PAGES = ("/scorecard/", "/regions/", "/branches/", "/branches/14/")


def first_views(client, before_each=None) -> dict[str, float]:
    times = {}
    for page in PAGES:
        if before_each:
            before_each()
        started = time.perf_counter()
        response = client.get(page)
        times[page] = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (page, response.status_code)
    return times


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyosai.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from kyosai.web import cache as page_cache
    from kyosai.web.warm import warm_latest_month

    user = get_user_model().objects.get(username="hq")
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)

    def empty() -> None:
        page_cache.clear()

    cold = first_views(client, before_each=empty)  # each page on an empty cache

    empty()
    started = time.perf_counter()
    month = warm_latest_month()
    warming = (time.perf_counter() - started) * 1000
    warm = first_views(client)

    print(f"warming {month}: {warming:.0f} ms")
    print(f"{'page':<16}{'empty cache':>14}{'after warming':>16}")
    for page in PAGES:
        print(f"{page:<16}{cold[page]:>11.0f} ms{warm[page]:>13.0f} ms")


if __name__ == "__main__":
    main()
