from django.contrib.auth import views as auth_views
from django.urls import path

from dastan.accounts.landing import land
from dastan.catalog.languages import LANGUAGES

app_name = "accounts"
urlpatterns = [
    path("studio/login/", auth_views.LoginView.as_view(
        template_name="accounts/login.html", extra_context={"interface_languages": LANGUAGES}), name="login"),
    path("studio/logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("studio/home/", land, name="land"),  # after sign-in: the desk the person's roles open
]
