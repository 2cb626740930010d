"""The request a signed-in page receives, for type checking."""

from django.contrib.auth.models import User
from django.http import HttpRequest

__all__ = ["AuthenticatedHttpRequest"]


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind @login_required: its user is a User, never AnonymousUser.

    An annotation only (django-stubs' documented pattern): Django still passes its own request;
    the decorator is what guarantees the user.
    """

    user: User
