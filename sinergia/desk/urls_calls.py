"""URLs of funding calls, under /<language>/desk/calls/."""

from django.urls import URLPattern, path

from sinergia.desk.views import calls, calls_edit, calls_feeds

urlpatterns: list[URLPattern] = [
    # Reading and following (what each viewer sees is decided by the selectors).
    path("calls/", calls.call_list, name="call_list"),
    path("calls/followed/", calls.call_followed, name="call_followed"),
    path("calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("calls/<int:pk>/follow/", calls.call_follow, name="call_follow"),
    path("calls/<int:pk>/documents/<int:document_pk>/", calls.call_document, name="call_document"),
    # Deadlines as iCalendar.
    path("calls/deadlines.ics", calls_feeds.deadlines_ics, name="call_deadlines_ics"),
    path("calls/deadlines/<str:token>.ics", calls_feeds.private_deadlines_ics, name="call_private_ics"),
    path("calls/<int:pk>.ics", calls_feeds.call_ics, name="call_ics"),
    # Publishing.
    path("calls/new/", calls_edit.call_create, name="call_create"),
    path("calls/<int:pk>/edit/", calls_edit.call_edit, name="call_edit"),
    path("calls/<int:pk>/publish/", calls_edit.call_publish, name="call_publish"),
    path("calls/<int:pk>/withdraw/", calls_edit.call_withdraw, name="call_withdraw"),
    path("calls/<int:pk>/documents/", calls_edit.call_document_add, name="call_document_add"),
    path("calls/<int:pk>/documents/<int:document_pk>/remove/", calls_edit.call_document_remove,
         name="call_document_remove"),
    path("calls/publishers/", calls_edit.publishers, name="call_publishers"),
    path("calls/publishers/<int:pk>/revoke/", calls_edit.publisher_revoke, name="call_publisher_revoke"),
]
