"""Operators manage networks, memberships and charters in the Django admin."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergia.networks.models import CharterSignature, CharterVersion, Membership, Network


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "network"
    fields = ("organisation", "member_network", "role", "status", "applied_at", "decided_at")
    readonly_fields = ("applied_at", "decided_at")
    raw_id_fields = ("organisation", "member_network")
    extra = 0
    show_change_link = True


class CharterVersionInline(admin.StackedInline):
    model = CharterVersion
    fields = ("number", "text", "changes", "language", "published_by", "published_at")
    readonly_fields = ("published_at",)
    raw_id_fields = ("published_by",)
    extra = 0
    show_change_link = True


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "scale", "governance", "region", "country", "is_active", "created_at")
    list_filter = ("kind", "scale", "governance", "is_active", "country")
    search_fields = ("name", "slug", "region")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("founded_by", "created_by")
    filter_horizontal = ("themes",)
    readonly_fields = ("created_at", "updated_at")
    inlines = [MembershipInline, CharterVersionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("__str__", "network", "role", "status", "applied_at", "decided_at")
    list_filter = ("status", "role")
    search_fields = ("network__name", "organisation__name", "member_network__name")
    raw_id_fields = ("network", "organisation", "member_network", "applied_by", "decided_by")
    readonly_fields = ("applied_at",)
    list_select_related = ("network", "organisation", "member_network")


@admin.register(CharterVersion)
class CharterVersionAdmin(admin.ModelAdmin):
    list_display = ("network", "number", "published_by", "published_at")
    search_fields = ("network__name",)
    raw_id_fields = ("network", "published_by")
    readonly_fields = ("published_at",)
    list_select_related = ("network", "published_by")


@admin.register(CharterSignature)
class CharterSignatureAdmin(admin.ModelAdmin):
    list_display = ("signatory_name", "member", "charter", "signed_at")
    search_fields = ("signatory_name", "membership__organisation__name", "membership__member_network__name",
                     "charter__network__name")
    raw_id_fields = ("membership", "charter", "signed_by")
    readonly_fields = ("signed_at",)
    list_select_related = ("membership__organisation", "membership__member_network", "membership__network",
                           "charter__network")

    @admin.display(description=_("member"))
    def member(self, signature: CharterSignature) -> str:
        return str(signature.membership.member)
