"""The dashboards: thin views over the results selectors, scoped by access_for()."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from kyosai.accounts.access import access_for
from kyosai.org.models import Union


@login_required
def home(request):
    """Send each user to the first page their role opens."""
    access = access_for(request.user)
    if access.union_id is not None:
        union = Union.objects.get(pk=access.union_id)
        return redirect(f"/unions/{union.code}/")
    return redirect("/scorecard/")
