"""The exchange in the Django admin, for operators."""

from django.contrib import admin

from sinergia.exchange.models import Listing, ListingCategory, MatchNotice, Message, Partnership, Thread


class ListingCategoryInline(admin.TabularInline):
    model = ListingCategory
    extra = 0
    raw_id_fields = ("concept",)


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ("title", "side", "kind", "organisation", "status", "visibility", "expires_on")
    list_filter = ("side", "kind", "status", "visibility", "area")
    search_fields = ("title", "organisation__name")
    raw_id_fields = ("organisation", "created_by")
    inlines = [ListingCategoryInline]


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    raw_id_fields = ("author", "organisation")


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("listing", "counterpart", "created_at", "last_message_at")
    raw_id_fields = ("listing", "counterpart", "started_by")
    inlines = [MessageInline]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("organisation", "partner", "listing", "started_on")
    raw_id_fields = ("organisation", "partner", "listing", "partner_listing", "recorded_by")


@admin.register(MatchNotice)
class MatchNoticeAdmin(admin.ModelAdmin):
    list_display = ("need", "offer", "score", "created_at")
    raw_id_fields = ("need", "offer")
