"""Who may read and edit which plan, for every role and every edit; forbidden is a 404."""

import pytest
from django.urls import reverse

from kyosai.core.models import AuditEntry
from kyosai.plans.models import Plan, PlanItem, StatusEntry

pytestmark = pytest.mark.django_db

OWNERS = ("本部", "東京", "埼玉")

#: persona → the plans (by owner) it may read, and those it may edit.
READS = {
    "hq_admin": OWNERS, "hq_staff": OWNERS, "hq_viewer": OWNERS,
    "tokyo_staff": ("本部", "東京"), "tokyo_viewer": ("本部", "東京"),
    "saitama_staff": ("本部", "埼玉"), "union_officer": (),
}
EDITS = {
    "hq_admin": OWNERS, "hq_staff": OWNERS, "hq_viewer": (),
    "tokyo_staff": ("東京",), "tokyo_viewer": (), "saitama_staff": ("埼玉",), "union_officer": (),
}


def item_of(owner: str) -> PlanItem:
    """The first item of the chapter every branch carries out (Ⅳ-2-1-(1)) in `owner`'s plan."""
    return PlanItem.objects.get(plan__owner__name=owner, code="Ⅳ-2-1-(1)")


def edits(item: PlanItem) -> list[tuple[str, dict[str, str]]]:
    entry = item.statuses.first()
    assert entry is not None
    return [
        (reverse("plans:status_add", args=[item.pk]), {"text": "学習会を開催した。", "confirmed_month": "2024-11"}),
        (reverse("plans:rating", args=[item.pk]), {"rating": "×"}),
        (reverse("plans:next_actions", args=[item.pk]), {"text": "学習会を増やします。"}),
        (reverse("plans:status_edit", args=[entry.pk]), {"text": "修正しました。", "confirmed_month": ""}),
        (reverse("plans:status_delete", args=[entry.pk]), {}),
        (reverse("plans:carry_over", args=[item.plan_id]), {"include_done": "on"}),
    ]


def state(item: PlanItem) -> tuple[str, list[str], list[str], int, int]:
    item.refresh_from_db()
    return (item.rating, list(item.statuses.values_list("text", flat=True)),
            list(item.next_actions.values_list("text", flat=True)),
            Plan.objects.count(), AuditEntry.objects.count())


@pytest.fixture
def tokyo_rated(small_plan):
    """The branch items start with a status entry so edit and delete have something to act on."""
    from kyosai.plans.services import add_status

    for owner in ("東京", "埼玉"):
        add_status(item_of(owner), text="県本部委員会を開催した。", confirmed=None, user=None)
    return small_plan


@pytest.mark.parametrize("persona", sorted(READS))
@pytest.mark.parametrize("owner", OWNERS)
def test_every_edit_is_allowed_only_on_plans_the_role_owns(client, personas, tokyo_rated,
                                                           persona, owner):
    client.force_login(personas[persona])
    item = item_of(owner)
    allowed = owner in EDITS[persona]
    for url, data in edits(item):
        before = state(item)
        response = client.post(url, data)
        if allowed:
            assert response.status_code == 302, url
            assert state(item) != before, url
        else:
            assert response.status_code == 404, url
            assert state(item) == before, url


@pytest.mark.parametrize("persona", sorted(READS))
@pytest.mark.parametrize("owner", OWNERS)
def test_plans_and_items_are_readable_only_within_the_roles_place(client, personas, small_plan,
                                                                   persona, owner):
    client.force_login(personas[persona])
    item = item_of(owner)
    expected = 200 if owner in READS[persona] else 404
    for url in (reverse("plans:plan", args=[item.plan_id]), reverse("plans:item", args=[item.pk]),
                reverse("plans:export", args=[item.plan_id])):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("persona", sorted(READS))
def test_edit_forms_are_shown_only_to_those_who_may_edit(client, personas, small_plan, persona):
    client.force_login(personas[persona])
    for owner in READS[persona]:
        page = client.get(reverse("plans:item", args=[item_of(owner).pk])).content.decode()
        assert ('action="' + reverse("plans:rating", args=[item_of(owner).pk]) in page) == (
            owner in EDITS[persona])


def test_the_plan_list_shows_only_readable_plans(client, personas, small_plan):
    client.force_login(personas["tokyo_staff"])
    page = client.get(reverse("plans:list")).content.decode()
    assert "東京" in page
    assert "本部" in page
    assert "埼玉" not in page
    client.force_login(personas["union_officer"])
    assert "閲覧できる計画はありません" in client.get(reverse("plans:list")).content.decode()


@pytest.mark.parametrize(("persona", "expected"), [
    ("hq_admin", 200), ("hq_staff", 200), ("hq_viewer", 200), ("tokyo_staff", 404),
    ("tokyo_viewer", 404), ("union_officer", 404),
])
def test_only_hq_sees_the_branches_matrix(client, personas, small_plan, persona, expected):
    client.force_login(personas[persona])
    assert client.get(reverse("plans:matrix", args=["2024H1"])).status_code == expected


def test_anonymous_visitors_are_sent_to_the_login_page_and_change_nothing(client, tokyo_rated):
    item = item_of("東京")
    before = state(item)
    for url, data in edits(item):
        response = client.post(url, data)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    for url in (reverse("plans:list"), reverse("plans:plan", args=[item.plan_id]),
                reverse("plans:item", args=[item.pk]), reverse("plans:matrix", args=["2024H1"])):
        assert reverse("accounts:login") in client.get(url)["Location"]
    assert state(item) == before
    assert StatusEntry.objects.filter(author__isnull=False).count() == 0
