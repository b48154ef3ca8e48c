from django.urls import path

from sinergia.calendar.views import browse, editor, feeds, finder, imports

app_name = "calendar"
urlpatterns = [
    # Browsing (anyone; what each viewer sees is decided by the selectors).
    path("", browse.calendar_month, name="month"),
    path("week/", browse.calendar_week, name="week"),
    path("list/", browse.calendar_list, name="list"),
    path("map/", browse.calendar_map, name="map"),
    path("map.geojson", browse.calendar_geojson, name="geojson"),
    path("events/<int:pk>/", browse.event_detail, name="event"),
    # Feeds and embedding.
    path("events/<int:pk>.ics", feeds.event_ics, name="event_ics"),
    path("feed.ics", feeds.feed_ics, name="feed_ics"),
    path("feed.rss", feeds.feed_rss, name="feed_rss"),
    path("private/<str:token>.ics", feeds.private_feed_ics, name="private_feed_ics"),
    path("widget/", feeds.widget, name="widget"),
    path("embed/", feeds.embed, name="embed"),
    path("subscribe/", feeds.subscriptions, name="subscriptions"),
    path("subscribe/reset/", feeds.token_reset, name="token_reset"),
    # Planning: the free-date finder and the live clash check.
    path("free-dates/", finder.free_dates, name="free_dates"),
    path("clash-check/", editor.clash_check, name="clash_check"),
    # An organisation's events.
    path("organisations/<slug:slug>/", editor.organisation_events, name="org_events"),
    path("organisations/<slug:slug>/new/", editor.event_create, name="event_create"),
    path("events/<int:pk>/edit/", editor.event_edit, name="event_edit"),
    path("events/<int:pk>/publish/", editor.event_publish, name="event_publish"),
    path("events/<int:pk>/cancel/", editor.event_cancel, name="event_cancel"),
    path("events/<int:pk>/delete/", editor.event_delete, name="event_delete"),
    # Importing an organisation's existing calendar.
    path("organisations/<slug:slug>/import/", imports.ics_import, name="import"),
    path("organisations/<slug:slug>/feeds/", imports.feed_list, name="feeds"),
    path("feeds/<int:pk>/sync/", imports.feed_sync_now, name="feed_sync"),
    path("feeds/<int:pk>/remove/", imports.feed_remove, name="feed_remove"),
]
