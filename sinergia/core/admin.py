"""Operators edit the thesaurus and read the audit trail and notifications in the admin."""

from django.contrib import admin

from sinergia.core.models import AuditEntry, Concept, Notification


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
