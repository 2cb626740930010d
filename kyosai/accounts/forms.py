"""The login form, throttled per username and address."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from kyosai.accounts.throttle import clear_failures, client_address, locked_until, record_failure

__all__ = ["ThrottledAuthenticationForm"]


def _locked_message(until) -> str:
    minutes = max(1, int((until - timezone.now()).total_seconds() // 60) + 1)
    return (f"ログインの失敗が続いたため、このログインIDは一時的にロックされています。"
            f"約 {minutes} 分後にもう一度お試しください。")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing to even try a password while the pair is locked."""

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request else "unknown"
        until = locked_until(username, address)
        if until is not None:
            raise forms.ValidationError(_locked_message(until), code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            row = record_failure(username, address)
            if row.locked_until is not None:
                raise forms.ValidationError(_locked_message(row.locked_until), code="locked") from None
            raise
        clear_failures(username, address)
        return cleaned
