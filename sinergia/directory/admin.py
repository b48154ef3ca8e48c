"""Operators' admin of the directory; claims are decided through the same service as on the site."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sinergia.directory.models import Claim, Invitation, Organisation, OrganisationMember
from sinergia.directory.services import claim_decide


class OrganisationMemberInline(admin.TabularInline):
    model = OrganisationMember
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "title", "joined_at"]
    readonly_fields = ["joined_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "province", "region", "country", "source", "is_active"]
    list_filter = ["kind", "region", "source", "is_active", "country"]
    search_fields = ["name", "slug", "municipality", "province", "source_id", "email"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["themes", "audiences", "categories"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [OrganisationMemberInline]
    list_per_page = 50
    show_full_result_count = False
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(OrganisationMember)
class OrganisationMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "title", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    raw_id_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]
    readonly_fields = ["token", "created_at", "accepted_at", "accepted_by"]
    list_select_related = ["organisation", "invited_by"]


class RejectionForm(forms.Form):
    """The reason the claimants will read."""

    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["organisation", "user", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "user__email", "user__full_name"]
    raw_id_fields = ["organisation", "user", "decided_by"]
    readonly_fields = ["status", "reason", "decided_by", "decided_at", "created_at"]
    list_select_related = ["organisation", "user", "decided_by"]
    actions = ["approve_claims", "reject_claims"]

    @admin.action(description=_("Approve the selected claims (the claimants become administrators)"))
    def approve_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        self._decide(request, queryset, approve=True, reason="")

    @admin.action(description=_("Reject the selected claims, with a reason"))
    def reject_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> HttpResponse | None:
        form = RejectionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._decide(request, queryset, approve=False, reason=form.cleaned_data["reason"])
            return None
        context = {**self.admin_site.each_context(request), "claims": queryset, "form": form,
                   "opts": self.model._meta, "title": _("Reject claims")}
        return TemplateResponse(request, "admin/directory/claim/reject.html", context)

    def _decide(self, request: HttpRequest, queryset: QuerySet[Claim], *, approve: bool, reason: str) -> None:
        decided = 0
        for claim in queryset.select_related("organisation", "user"):
            try:
                claim_decide(claim=claim, by=request.user, approve=approve, reason=reason)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{claim}: {' '.join(getattr(error, 'messages', [str(error)]))}",
                                  messages.ERROR)
            else:
                decided += 1
        if decided:
            self.message_user(request, ngettext("%(count)d claim decided.", "%(count)d claims decided.", decided)
                              % {"count": decided}, messages.SUCCESS)
