"""Members and contracts: who is active, what is in force, who is enrolled, ages, 加入率, 組織加入,
残件数 — on a date D. Pure Python; the database queries in kyosai.members spell the same rules
in SQL, and the tests hold both to these functions.

- active on D: `left_on` blank or D < left_on (left_on is the first day no longer a member);
- in force on D: started_on ≤ D and (ended_on blank or D < ended_on);
- enrolled in P on D: holds a contract of P in force on D insured as `self`;
- age on D: whole years since birth; the birthday is reached on its date, and a 29 February
  birthday on 1 March in common years;
- 加入率 = enrolled ÷ active × 100, half-up to 1 decimal (domain.rounding.HALF_UP_1);
- 組織加入 when enrolled × 100 ≥ 80 × active (exact, never the rounded rate);
- remaining (残件数) = max(target − actual, 0); coverable = min(remaining, unenrolled);
- retention (APPI): with a retention of N days, the personal data of a member who left more than
  N days before today goes: left_on < today − N (the cut-off). One who left on the cut-off day
  left exactly N days ago and stays until the next day; one who has not left, or leaves later
  (left_on in the future), always stays.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from kyosai.domain.rounding import HALF_UP_1

__all__ = [
    "ORGANISED_PCT",
    "ContractTerms",
    "Employment",
    "Insured",
    "age_on",
    "coverable",
    "enrolment_rate",
    "is_active",
    "is_enrolled",
    "is_in_force",
    "is_organised",
    "is_past_retention",
    "remaining",
    "retention_cutoff",
]

#: 組織加入: a union whose 団生加入率 is 80 % or more.
ORGANISED_PCT = 80


class Employment(StrEnum):
    REGULAR = "regular"
    REEMPLOYED = "reemployed"
    APPOINTEE = "appointee"
    OTHER = "other"

    @property
    def label(self) -> str:
        return EMPLOYMENT_LABELS[self]


EMPLOYMENT_LABELS = {Employment.REGULAR: "正規", Employment.REEMPLOYED: "再任用・再雇用",
                     Employment.APPOINTEE: "会計年度任用", Employment.OTHER: "その他"}


class Insured(StrEnum):
    SELF = "self"
    SPOUSE = "spouse"
    CHILD = "child"

    @property
    def label(self) -> str:
        return INSURED_LABELS[self]


INSURED_LABELS = {Insured.SELF: "本人", Insured.SPOUSE: "配偶者", Insured.CHILD: "子"}


def is_active(left_on: date | None, day: date) -> bool:
    """A member on `day`: not yet left (left_on is the first day no longer a member)."""
    return left_on is None or day < left_on


def is_in_force(started_on: date, ended_on: date | None, day: date) -> bool:
    """A contract in force on `day` (ended_on is the first day not in force)."""
    return started_on <= day and (ended_on is None or day < ended_on)


@dataclass(frozen=True, slots=True)
class ContractTerms:
    """What enrolment needs to know of a contract."""

    product: str
    insured: Insured
    started_on: date
    ended_on: date | None = None


def is_enrolled(contracts: Iterable[ContractTerms], product: str, day: date) -> bool:
    """Holds a contract of `product` in force on `day` insured as self (spouse/child never count)."""
    return any(c.product == product and c.insured is Insured.SELF
               and is_in_force(c.started_on, c.ended_on, day) for c in contracts)


def age_on(birth_date: date, day: date) -> int:
    """Whole years since birth on `day`; a 29 February birthday is reached on 1 March in common
    years (comparing (month, day) pairs does exactly that: (2, 28) < (2, 29) < (3, 1))."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (1 if before_birthday else 0)


def enrolment_rate(enrolled: int, active: int) -> Decimal | None:
    """加入率 in %, half-up to 1 decimal; None without active members."""
    if active <= 0:
        return None
    return HALF_UP_1.apply(Fraction(enrolled * 100, active))


def is_organised(enrolled: int, active: int) -> bool:
    """組織加入: enrolled × 100 ≥ 80 × active, exactly (79.96 % rounds to 80.0 but is not)."""
    return active > 0 and enrolled * 100 >= ORGANISED_PCT * active


def remaining(target: int | None, actual: int | None) -> int | None:
    """残件数: what is left of the year's target; None when either figure is missing."""
    if target is None or actual is None:
        return None
    return max(target - actual, 0)


def coverable(remaining_count: int | None, unenrolled: int) -> int | None:
    """How much of the 残件数 the union's own non-members could cover."""
    if remaining_count is None:
        return None
    return min(remaining_count, unenrolled)


def retention_cutoff(today: date, days: int) -> date:
    """The first day of leaving whose personal data is still kept with a retention of `days`
    days: today − days (those who left before it are purged)."""
    return today - timedelta(days=days)


def is_past_retention(left_on: date | None, today: date, days: int) -> bool:
    """Left more than `days` days before `today`: the member's personal data is no longer kept."""
    return left_on is not None and left_on < retention_cutoff(today, days)
