from django.urls import path

from sinergia.core import views, views_thesaurus

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/preferences/", views.notification_preferences, name="notification_preferences"),
    path("notifications/unsubscribe/<str:token>/", views.notification_unsubscribe_confirm,
         name="notification_unsubscribe"),
    path("moderation/", views.moderation, name="moderation"),
    path("thesaurus/", views_thesaurus.thesaurus_browse, name="thesaurus"),
    path("thesaurus/download/<slug:format>/", views_thesaurus.thesaurus_download, name="thesaurus_download"),
    path("thesaurus/import/", views_thesaurus.thesaurus_import_check, name="thesaurus_import"),
    path("thesaurus/import/confirm/", views_thesaurus.thesaurus_import_confirm, name="thesaurus_import_confirm"),
]
