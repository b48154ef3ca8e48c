"""Operators manage events, feeds and private feed tokens in the Django admin (occurrences are derived)."""

from django.contrib import admin

from sinergia.calendar.models import CalendarFeed, Event, FeedToken, Occurrence


class OccurrenceInline(admin.TabularInline):
    model = Occurrence
    fields = ("start", "end", "all_day", "cancelled")
    readonly_fields = fields
    extra = 0
    can_delete = False
    max_num = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "category", "start", "status", "visibility", "region")
    list_filter = ("status", "visibility", "category", "all_day", "is_free")
    search_fields = ("title", "uid", "organisation__name", "place_name", "locality")
    date_hierarchy = "start"
    raw_id_fields = ("organisation", "venue", "feed", "created_by", "co_organisers")
    filter_horizontal = ("audiences", "themes", "networks")
    readonly_fields = ("uid", "occurrences_until", "occurrences_truncated", "created_at", "updated_at",
                       "published_at")
    inlines = [OccurrenceInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("__str__", "organisation", "status", "is_active", "last_attempt_at", "last_success_at")
    list_filter = ("status", "is_active")
    search_fields = ("url", "name", "organisation__name")
    raw_id_fields = ("organisation", "created_by")
    readonly_fields = ("status", "error", "rejected", "warnings", "added_count", "updated_count",
                       "cancelled_count", "last_attempt_at", "last_success_at", "created_at")


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
    readonly_fields = ("created_at",)
