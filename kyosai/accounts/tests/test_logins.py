"""Logins through django-axes: every login path locked per username and per client address, the
client address from X-Forwarded-For only behind a trusted proxy, every attempt audited."""

from datetime import timedelta

import pytest
import time_machine
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib.auth import authenticate, get_user_model
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone

from kyosai.accounts.clients import client_address
from kyosai.accounts.services import DEMO_PASSWORD, create_demo_users
from kyosai.core.models import AuditEntry
from kyosai.org.services import load_organisation

pytestmark = pytest.mark.django_db
SITE = "/accounts/login/"
ADMIN = "/admin/login/"
LIMIT = 5


@pytest.fixture
def users():
    load_organisation()
    create_demo_users()


def post(client, path, password, username="hq", address="198.51.100.7", **extra):
    data = {"username": username, "password": password}
    if path == ADMIN:
        data["next"] = "/admin/"
    return client.post(path, data, REMOTE_ADDR=address, **extra)


def logged_in(client) -> bool:
    return bool(client.session.get("_auth_user_id"))


# --- the attack of issue 11 and the limit's boundary ---------------------------------------------

def test_eight_wrong_passwords_at_the_admin_then_the_right_one_does_not_log_in(users, client):
    for _ in range(8):
        response = post(client, ADMIN, "wrong-guess")
        assert not logged_in(client)
    response = post(client, ADMIN, DEMO_PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    text = response.content.decode()
    assert "ログインを一時的に停止しています" in text
    assert "15分後" in text


def test_the_fifth_failure_locks_and_four_failures_still_let_the_right_password_in(users, client):
    for _ in range(LIMIT - 1):
        assert post(client, SITE, "wrong").status_code == 200
    assert post(client, SITE, DEMO_PASSWORD).status_code == 302  # the 5th attempt, right: in
    client.post("/accounts/logout/")
    assert post(client, SITE, "wrong").status_code == 429  # the 5th failure locks at once
    assert post(client, SITE, DEMO_PASSWORD).status_code == 429
    assert not logged_in(client)


def test_the_site_and_the_admin_share_one_count(users, client):
    for path in (SITE, ADMIN, SITE, ADMIN, SITE):
        post(client, path, "wrong")
    assert post(client, ADMIN, DEMO_PASSWORD).status_code == 429
    assert post(client, SITE, DEMO_PASSWORD).status_code == 429


def test_any_caller_of_authenticate_is_guarded_too(users):
    """A future API authenticates through the same backends: locked there as well."""
    factory = RequestFactory()
    for _ in range(LIMIT):
        request = factory.post("/api/token", REMOTE_ADDR="203.0.113.9")
        assert authenticate(request, username="hq", password="wrong") is None
    request = factory.post("/api/token", REMOTE_ADDR="203.0.113.9")
    assert authenticate(request, username="hq", password=DEMO_PASSWORD) is None


def test_the_lock_ends_after_fifteen_minutes(users, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(LIMIT):
            post(client, SITE, "wrong")
    with time_machine.travel(start + timedelta(minutes=14, seconds=59), tick=False):
        assert post(client, SITE, DEMO_PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        assert post(client, SITE, DEMO_PASSWORD).status_code == 302


# --- per username and per address -----------------------------------------------------------------

def test_a_username_is_locked_whatever_address_the_guesses_come_from(users, client):
    for i in range(LIMIT):
        post(client, SITE, "wrong", address=f"203.0.113.{i + 1}")
    assert post(client, SITE, DEMO_PASSWORD, address="192.0.2.200").status_code == 429
    # another user from a fresh address is not affected
    assert post(client, SITE, DEMO_PASSWORD, username="hq-staff",
                address="192.0.2.201").status_code == 302


def test_an_address_is_locked_whatever_usernames_it_tries(users, client):
    for name in ("viewer", "hq-staff", "branch-14", "branch-01", "nobody"):
        post(client, SITE, "wrong", username=name, address="203.0.113.50")
    assert post(client, SITE, DEMO_PASSWORD, username="viewer",
                address="203.0.113.50").status_code == 429
    assert post(client, SITE, DEMO_PASSWORD, username="viewer",
                address="203.0.113.51").status_code == 302


# --- the client address and trusted proxies -------------------------------------------------------

def _request(remote: str, forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    ("10.0.0.1", "203.0.113.5", "203.0.113.5"),                 # through the trusted proxy
    ("10.0.0.1", "1.1.1.1, 203.0.113.5", "203.0.113.5"),        # the client's own prefix ignored
    ("10.0.0.1", "203.0.113.5, 10.0.0.2", "203.0.113.5"),       # two trusted proxies in a row
    ("10.0.0.1", "", "10.0.0.1"),                               # a proxy that sends no header
    ("10.0.0.1", "not-an-address", "10.0.0.1"),                 # garbage: keep the proxy
    ("198.51.100.7", "203.0.113.5", "198.51.100.7"),            # untrusted peer: header ignored
    ("198.51.100.7", "10.0.0.1", "198.51.100.7"),
    ("::ffff:10.0.0.1", "203.0.113.5", "203.0.113.5"),          # IPv4-mapped peer
    ("not-an-ip", None, None),
])
def test_the_client_address(settings, remote, forwarded, expected):
    settings.KYOSAI_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(_request(remote, forwarded)) == expected


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.KYOSAI_TRUSTED_PROXIES = []
    assert client_address(_request("127.0.0.1", "203.0.113.5")) == "127.0.0.1"


def test_behind_a_trusted_proxy_each_client_is_counted_by_its_forwarded_address(
        users, client, settings):
    settings.KYOSAI_TRUSTED_PROXIES = ["10.0.0.1"]
    for name in ("viewer", "hq-staff", "branch-14", "branch-01", "nobody"):
        post(client, SITE, "wrong", username=name, address="10.0.0.1",
             HTTP_X_FORWARDED_FOR="203.0.113.5")
    locked = post(client, SITE, DEMO_PASSWORD, username="viewer", address="10.0.0.1",
                  HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert locked.status_code == 429
    # another client behind the same proxy is not locked out with the attacker
    assert post(client, SITE, DEMO_PASSWORD, username="viewer", address="10.0.0.1",
                HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_a_spoofed_header_from_an_untrusted_peer_does_not_dodge_the_lock(users, client, settings):
    settings.KYOSAI_TRUSTED_PROXIES = ["10.0.0.1"]
    for i, name in enumerate(("viewer", "hq-staff", "branch-14", "branch-01", "nobody")):
        post(client, SITE, "wrong", username=name, address="198.51.100.7",
             HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    response = post(client, SITE, DEMO_PASSWORD, username="viewer", address="198.51.100.7",
                    HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


# --- parallel attempts -------------------------------------------------------------------------

def test_attempts_in_flight_are_counted_before_their_passwords_are_checked(users):
    """Ten attempts that all reached the check before any password was verified: only LIMIT are
    let through to the password check (the check and the count are one locked step)."""
    factory = RequestFactory()
    allowed = 0
    for _ in range(10):
        request = factory.post(SITE, REMOTE_ADDR="203.0.113.77")
        allowed += AxesProxyHandler.is_allowed(request, {"username": "hq"})
    assert allowed == LIMIT


# --- the audit trail -------------------------------------------------------------------------------

def test_logins_and_failures_are_audited_without_the_password(users, client):
    post(client, SITE, "s3cret-Guess", address="203.0.113.20")
    post(client, SITE, DEMO_PASSWORD, address="203.0.113.20")
    client.post("/accounts/logout/")
    failed = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    hq = get_user_model().objects.get(username="hq")
    assert failed.user is None
    assert failed.object_repr == "hq"
    assert failed.object_id == str(hq.pk)
    assert failed.detail == {"username": "hq", "path": SITE, "address": "203.0.113.20",
                             "locked": False}
    login = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert login.user == hq
    assert login.detail == {"path": SITE, "address": "203.0.113.20"}
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGOUT, user=hq).count() == 1
    stored = " ".join(str(v) for e in AuditEntry.objects.all()
                      for v in (e.detail, e.before, e.after, e.object_repr))
    stored += " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert "s3cret-Guess" not in stored
    assert DEMO_PASSWORD not in stored


def test_the_locking_failure_and_the_refused_attempt_are_audited_as_locked(users, client):
    for _ in range(LIMIT + 1):
        post(client, ADMIN, "wrong")
    flags = list(AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED)
                 .order_by("id").values_list("detail__locked", flat=True))
    assert flags == [False] * (LIMIT - 1) + [True, True]


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_never_check_more_passwords_than_the_limit(monkeypatch):
    """Twelve clients post wrong passwords for hq at the same moment; password checks are slowed
    down so that every attempt is in flight together. At most LIMIT passwords are checked."""
    import threading

    from django.contrib.auth.backends import ModelBackend
    from django.db import connection as main_connection
    from django.test import Client

    if main_connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database is one shared connection cache: "
                    "the lock is exercised by the in-flight test above; PostgreSQL runs this")
    load_organisation()
    create_demo_users()
    checked = []
    real = ModelBackend.authenticate

    def slow(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        import time
        time.sleep(0.3)
        return real(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", slow)
    barrier = threading.Barrier(12)
    statuses = []

    def attempt(i: int) -> None:
        from django.db import connection

        try:
            barrier.wait()
            response = Client().post(SITE, {"username": "hq", "password": f"wrong-{i}"},
                                     REMOTE_ADDR=f"203.0.113.{i + 1}")
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 12
    assert len(checked) == LIMIT
    assert statuses.count(429) >= 12 - LIMIT + 1  # the refused ones and the one that locked
