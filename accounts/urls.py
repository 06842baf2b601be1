from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import login_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", login_views.LoginView.as_view(), name="login"),
    path("login/code/", login_views.login_code, name="login_code"),
    path("two-factor/", login_views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", login_views.two_factor_verify, name="two_factor_verify"),
    path(
        "two-factor/recovery-codes/",
        login_views.renew_recovery_codes,
        name="renew_recovery_codes",
    ),
    path("two-factor/remove/", login_views.remove_second_factor, name="remove_second_factor"),
    path("confirm/", login_views.confirm, name="confirm"),
    path("tokens/", login_views.create_token, name="create_token"),
    path("tokens/<int:pk>/revoke/", login_views.revoke_token, name="revoke_token"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    path("profile/", views.profile, name="profile"),
    path("invite/", views.invite, name="invite"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/resend/", views.resend_invitation, name="resend_invitation"),
    path("invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke_invitation"),
    path("join/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path(
        "password-reset/",
        login_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
