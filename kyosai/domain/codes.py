"""Codes of the organisation as people type them: a branch's 県支部コード '1' is '01'."""

import re
import unicodedata

__all__ = ["UNION_CODE_MAX", "UNION_NAME_MAX", "branch_code"]

#: Characters of a 単組 code and name (the union table's columns are built from these).
UNION_CODE_MAX = 20
UNION_NAME_MAX = 100

_BRANCH_CODE = re.compile(r"[0-9]{1,2}")


def branch_code(text: str | None) -> str | None:
    """The two-digit 県支部コード of what was typed ('1', '01', '１' → '01'; '48' → '48'; 本部 is
    '00'); None for anything that is not one or two digits (a name, '123', blank)."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    if not _BRANCH_CODE.fullmatch(cleaned):
        return None
    return cleaned.zfill(2)
