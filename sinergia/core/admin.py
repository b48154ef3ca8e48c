"""Operators edit the thesaurus and read the audit trail, notifications, preferences and periodic runs in the admin."""

from django.contrib import admin

from sinergia.core.models import AuditEntry, Concept, DigestDelivery, Notification, NotificationPreference, PeriodicRun


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    list_display = ["notation", "label", "scheme", "broader"]
    list_filter = ["scheme"]
    search_fields = ["notation", "labels", "alt_labels"]
    autocomplete_fields = ["broader"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "actor__email", "target_id"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "target_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "title"]
    list_select_related = ["recipient"]
    readonly_fields = ["created_at", "read_at", "emailed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "mode"]
    list_filter = ["mode", "kind"]
    search_fields = ["user__email", "kind"]
    list_select_related = ["user"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ["day", "user", "notification_count", "sent_at"]
    list_filter = ["day"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "day", "claim", "notification_count", "created_at", "sent_at"]


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["name", "last_enqueued_at"]
    readonly_fields = ["name", "last_enqueued_at"]
