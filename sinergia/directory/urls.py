from django.urls import path

from sinergia.directory import views

app_name = "directory"
# The fixed paths come first; services.RESERVED_SLUGS keeps organisations' slugs from shadowing them.
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("map/", views.organisation_map, name="map"),
    path("geojson/", views.organisation_geojson, name="geojson"),
    path("export/", views.organisation_export, name="export"),
    path("new/", views.organisation_create, name="create"),
    path("import/", views.organisation_import, name="import"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("claims/<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path("<slug:slug>/claim/", views.organisation_claim, name="claim"),
    path("<slug:slug>/people/", views.organisation_people, name="people"),
    path("<slug:slug>/people/invite/", views.invitation_create, name="invite"),
    path("<slug:slug>/people/<int:pk>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/people/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
]
