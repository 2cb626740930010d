"""Login and logout (Django's views; lockouts come from django-axes, see settings.AXES_*)."""

from django.contrib.auth import views as auth_views

__all__ = ["LoginView", "LogoutView"]


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
