from django.urls import path

from kyosai.delivery import views

app_name = "delivery"
urlpatterns = [
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("notifications/", views.notifications, name="notifications"),
]
