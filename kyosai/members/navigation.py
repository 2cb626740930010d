"""Who may open the member lifecycle pages (車検案内, 新規採用者, 移行, プレ印字申込書), and the links
to them that the members pages show. The views and the links ask the same predicates, so a link
is shown exactly to the viewers whose request would not be a 404."""

from dataclasses import dataclass

from django.urls import reverse

from kyosai.accounts.access import Access
from kyosai.accounts.models import Role
from kyosai.org.models import Branch, Union


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str


def may_open_national_lists(access: Access) -> bool:
    """The national inspection and transition lists: HQ."""
    return access.is_hq


def may_open_branch_lists(access: Access, branch: Branch) -> bool:
    """A branch's inspection and transition lists: HQ admins and the branch's own staff."""
    return access.is_hq_admin or (access.role == Role.BRANCH_STAFF
                                  and access.branch_id == branch.pk)


def may_open_branch_newhires(access: Access, branch: Branch) -> bool:
    """A branch's new-hire counts per union (no names): whoever sees the branch, but no union officer."""
    return access.can_view_branch(branch.pk) and access.role != Role.UNION_OFFICER


def may_open_union_lists(access: Access, union: Union) -> bool:
    """A union's inspection, new-hire and transition lists: whoever sees its personal data."""
    return access.can_view_personal_data(union.pk, union.branch_id)


def may_print_forms(access: Access) -> bool:
    """The pre-printed application forms: union officers (their union) and branch staff (their
    branch's unions)."""
    return ((access.role == Role.UNION_OFFICER and access.union_id is not None)
            or (access.role == Role.BRANCH_STAFF and access.branch_id is not None))


def national_links(access: Access) -> list[PageLink]:
    if not may_open_national_lists(access):
        return []
    return [PageLink("次回車検日 案内リスト（全国）", reverse("members:inspections-national")),
            PageLink("移行対象者（全国）", reverse("members:transition-national"))]


def branch_links(access: Access, branch: Branch) -> list[PageLink]:
    links = []
    if may_open_branch_lists(access, branch):
        links += [PageLink("次回車検日 案内リスト",
                           reverse("members:inspections-branch", args=[branch.code])),
                  PageLink("移行対象者", reverse("members:transition-branch", args=[branch.code]))]
    if may_open_branch_newhires(access, branch):
        links.append(PageLink("新規採用者の加入状況（単組別）",
                              reverse("members:newhires-branch", args=[branch.code])))
    if may_print_forms(access) and access.branch_id == branch.pk:
        links.append(PageLink("プレ印字申込書の作成", reverse("members:preprinted")))
    return links


def union_links(access: Access, union: Union) -> list[PageLink]:
    links = []
    if may_open_union_lists(access, union):
        links += [PageLink("次回車検日 案内リスト",
                           reverse("members:inspections-union", args=[union.code])),
                  PageLink("新規採用者の加入状況",
                           reverse("members:newhires-union", args=[union.code])),
                  PageLink("移行対象者", reverse("members:transition-union", args=[union.code]))]
    if may_print_forms(access) and (access.union_id == union.pk
                                    or (access.role == Role.BRANCH_STAFF
                                        and access.branch_id == union.branch_id)):
        links.append(PageLink("プレ印字申込書の作成", reverse("members:preprinted")))
    return links
