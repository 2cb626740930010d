"""The account page listing one's API tokens: create (the token is shown once) and revoke.

Tokens are personal, not the organisation's data: every logged-in user, read-only viewers too
(the API is how a machine reads what they may read), manages their own."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kyosai.accounts.http import AuthenticatedHttpRequest
from kyosai.api.models import ApiToken
from kyosai.api.tokens import create_token, revoke_token

__all__ = ["revoke", "tokens"]

SHOWN_KEY = "kyosai_new_api_token"


@login_required
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        expires_text = request.POST.get("expires_on", "").strip()
        expires_on = None
        if expires_text:
            try:
                expires_on = datetime.date.fromisoformat(expires_text)
            except ValueError:
                messages.error(request, "有効期限は YYYY-MM-DD で指定してください。")
                return redirect("api-tokens:list")
            if expires_on < timezone.localdate():
                messages.error(request, "有効期限が過去の日付です。")
                return redirect("api-tokens:list")
        _, raw = create_token(request.user, name=name, expires_on=expires_on)
        request.session[SHOWN_KEY] = raw  # server-side, shown by the next page once
        return redirect("api-tokens:list")
    shown = request.session.pop(SHOWN_KEY, None)
    rows = ApiToken.objects.filter(user=request.user)
    response = render(request, "api/tokens.html", {"tokens": rows, "shown": shown,
                                                   "today": timezone.localdate()})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user).first()
    if token is None:
        raise Http404
    revoke_token(token, by=request.user)
    messages.success(request, f"トークン {token.prefix}… を失効させました。")
    return redirect("api-tokens:list")
