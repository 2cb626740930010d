"""Who a user is in the organisation: HQ, a branch or a union, and with which role."""

from django.conf import settings
from django.db import models

from kyosai.org.models import Branch, Union

__all__ = ["Membership", "Role"]


class Role(models.TextChoices):
    HQ_ADMIN = "hq_admin", "本部管理者"
    HQ_STAFF = "hq_staff", "本部職員"
    BRANCH_STAFF = "branch_staff", "県支部職員"
    UNION_OFFICER = "union_officer", "単組役員"
    VIEWER = "viewer", "閲覧者"


class Membership(models.Model):
    """A user's place: HQ roles have neither branch nor union, branch staff a branch, officers a union."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership",
        verbose_name="利用者",
    )
    role = models.CharField("役割", max_length=20, choices=Role.choices)
    branch = models.ForeignKey(
        Branch, verbose_name="県支部", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    union = models.ForeignKey(
        Union, verbose_name="単組", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "所属"
        verbose_name_plural = "所属"

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()}"

    def snapshot(self) -> dict[str, str | None]:
        """What the audit trail keeps of a membership (never the password)."""
        return {
            "username": self.user.get_username(),
            "role": self.role,
            "branch": self.branch.code if self.branch is not None else None,
            "union": self.union.code if self.union is not None else None,
        }

