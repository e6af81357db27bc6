from django.urls import path

from opencen.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code_view, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("account/", views.account_view, name="account"),
    path("account/second-factor/", views.enrol_view, name="enrol"),
    path("account/tokens/<uuid:token_id>/revoke/", views.revoke_token_view, name="revoke_token"),
    path("groups/", views.groups_view, name="groups"),
    path("groups/<uuid:group_id>/", views.group_view, name="group"),
    path(
        "groups/<uuid:group_id>/members/<uuid:membership_id>/remove/",
        views.remove_member_view,
        name="remove_member",
    ),
    path("organisations/", views.organisations_view, name="organisations"),
    path("users/", views.users_view, name="users"),
    path("users/<uuid:user_id>/<slug:action>/", views.user_action_view, name="user_action"),
]
