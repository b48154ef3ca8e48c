from django.urls import path

from sinergia.networks import views

app_name = "networks"
urlpatterns = [
    path("", views.network_list_view, name="list"),
    path("new/", views.network_create, name="create"),
    path("memberships/<int:pk>/admit/", views.membership_admit, name="admit"),
    path("memberships/<int:pk>/decline/", views.membership_decline, name="decline"),
    path("memberships/<int:pk>/suspend/", views.membership_suspend, name="suspend"),
    path("memberships/<int:pk>/reinstate/", views.membership_reinstate, name="reinstate"),
    path("memberships/<int:pk>/role/", views.membership_set_role, name="set_role"),
    path("memberships/<int:pk>/leave/", views.membership_leave, name="leave"),
    path("memberships/<int:pk>/sign/", views.charter_sign, name="sign"),
    path("<slug:slug>/", views.network_detail, name="detail"),
    path("<slug:slug>/edit/", views.network_edit, name="edit"),
    path("<slug:slug>/members.geojson", views.network_geojson, name="geojson"),
    path("<slug:slug>/charter/", views.charter_detail, name="charter"),
    path("<slug:slug>/charter/new/", views.charter_publish, name="charter_publish"),
    path("<slug:slug>/apply/", views.membership_apply, name="apply"),
    path("<slug:slug>/applications/", views.application_list, name="applications"),
    path("<slug:slug>/members/", views.member_manage, name="manage"),
]
