"""Operators manage the desk in the Django admin: questions, answers, experts, funding calls and their followers."""

from django.contrib import admin

from sinergia.desk.models import (
    Answer,
    CallDocument,
    CallFollow,
    CallPublisher,
    CallReminder,
    Expert,
    FundingCall,
    Question,
)


class AnswerInline(admin.StackedInline):
    model = Answer
    fields = ("author", "by_expert", "body", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("author",)
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "visibility", "status", "organisation", "language", "created_at")
    list_filter = ("category", "visibility", "status")
    search_fields = ("title", "organisation__name", "asked_by__email")
    date_hierarchy = "created_at"
    raw_id_fields = ("asked_by", "organisation", "call", "accepted_answer")
    readonly_fields = ("created_at", "updated_at", "first_answered_at", "resolved_at")
    list_select_related = ("organisation",)
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("question", "author", "by_expert", "created_at")
    list_filter = ("by_expert",)
    search_fields = ("question__title", "author__email")
    raw_id_fields = ("question", "author")
    list_select_related = ("question", "author")


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ("user", "category", "named_by", "named_at")
    list_filter = ("category",)
    search_fields = ("user__email", "user__full_name")
    raw_id_fields = ("user", "named_by")
    list_select_related = ("user", "named_by")


class CallDocumentInline(admin.TabularInline):
    model = CallDocument
    extra = 0


@admin.register(FundingCall)
class FundingCallAdmin(admin.ModelAdmin):
    list_display = ("title", "funder", "status", "deadline", "organisation")
    list_filter = ("status",)
    search_fields = ("title", "funder", "programme")
    date_hierarchy = "deadline"
    raw_id_fields = ("organisation", "created_by")
    filter_horizontal = ("topics",)
    readonly_fields = ("created_at", "updated_at", "published_at")
    inlines = [CallDocumentInline]


@admin.register(CallFollow)
class CallFollowAdmin(admin.ModelAdmin):
    list_display = ("call", "user", "created_at")
    search_fields = ("call__title", "user__email")
    raw_id_fields = ("call", "user")


@admin.register(CallReminder)
class CallReminderAdmin(admin.ModelAdmin):
    list_display = ("call", "user", "days_before", "deadline", "sent_at")
    raw_id_fields = ("call", "user")
    readonly_fields = ("sent_at",)


@admin.register(CallPublisher)
class CallPublisherAdmin(admin.ModelAdmin):
    list_display = ("organisation", "granted_by", "granted_at")
    raw_id_fields = ("organisation", "granted_by")
    readonly_fields = ("granted_at",)
