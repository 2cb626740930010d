"""Login and logout (Django's views with the throttled form)."""

from django.contrib.auth import views as auth_views

from kyosai.accounts.forms import ThrottledAuthenticationForm

__all__ = ["LoginView", "LogoutView"]


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
