"""Home page, the user's dashboard, notifications and the operators' moderation queue."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sinergia.core.models import Notification
from sinergia.core.notifications import BadToken, preferences_of, unsubscribe_read
from sinergia.core.notifications import selectors as notification_selectors
from sinergia.core.notifications.emails import kind_label
from sinergia.core.notifications.forms import PreferencesForm
from sinergia.core.services import notification_preferences_set, notification_unsubscribe, notifications_mark_read


def home(request: HttpRequest) -> HttpResponse:
    """The landing page: what Sinergia is, how many take part, a search box and the latest networks."""
    # The domains build on core: their selectors are imported where these two pages use them.
    from sinergia.directory.selectors import organisation_list
    from sinergia.networks.selectors import network_list

    networks = network_list(viewer=request.user)
    return render(request, "core/home.html", {
        "organisation_count": organisation_list(viewer=request.user).count(),
        "network_count": networks.count(),
        "latest_networks": networks.order_by("-created_at", "-pk")[:6],
    })


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """What the signed-in user manages and what waits for them."""
    from typing import cast

    from allauth.account.models import EmailAddress
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from sinergia.accounts.models import User
    from sinergia.desk.selectors.calls import dashboard_calls
    from sinergia.desk.selectors.questions import questions_waiting_for
    from sinergia.directory.models import Invitation
    from sinergia.exchange.selectors import matches_for_user
    from sinergia.networks.selectors import applications_to_decide, charters_to_sign, memberships_of_user

    user = cast(User, request.user)  # login_required: never anonymous here
    # Invitations are shown only to the verified owner of the address they were sent to.
    verified = EmailAddress.objects.filter(user_id=user.pk, email__iexact=OuterRef("email"), verified=True)
    invitations = Invitation.objects.filter(Exists(verified), email__iexact=user.email, accepted_at__isnull=True,
                                            expires_at__gt=timezone.now())
    return render(request, "core/dashboard.html", {
        "roles": user.organisation_roles.select_related("organisation").order_by("organisation__name"),
        "memberships": memberships_of_user(user=user),
        "applications": applications_to_decide(user=user)[:50],
        "charters_to_sign": charters_to_sign(user=user),
        "invitations": invitations.select_related("organisation"),
        "notifications": Notification.objects.filter(recipient_id=user.pk)[:5],
        "desk_waiting": questions_waiting_for(user=user),
        "exchange_matches": matches_for_user(user=user, limit=5),
        "calls": dashboard_calls(user=user),
    })


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first."""
    notifications = notification_selectors.notification_list(viewer=request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all (or the posted) notifications as read."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notifications_mark_read(user=request.user, ids=ids)
    return redirect("core:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    """The user's choice of e-mail for each kind of notification."""
    form = PreferencesForm(request.POST or None, preferences=preferences_of(user=request.user))
    if form.is_valid():
        notification_preferences_set(user=request.user, modes=form.modes(), all_off=form.cleaned_data["all_off"])
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("core:notification_preferences")
    return render(request, "core/notification_preferences.html", {"form": form})


@require_http_methods(["GET", "POST"])
def notification_unsubscribe_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """An e-mail's unsubscribe link: GET says what will be switched off, POST switches it off (no sign-in needed)."""
    try:
        user_id, kind = unsubscribe_read(token)
    except BadToken:
        return render(request, "core/notification_unsubscribe_invalid.html", status=400)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return render(request, "core/notification_unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        notification_unsubscribe(user=user, kind=kind)
    return render(request, "core/notification_unsubscribe.html", {
        "kind_label": kind_label(kind), "address": masked_address(user.email), "done": request.method == "POST"})


def masked_address(email: str) -> str:
    """An e-mail address with most of its local part hidden, so a forwarded link does not reveal it whole."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


@staff_member_required
def moderation(request: HttpRequest) -> HttpResponse:
    """Operators' queue: claims to verify and the latest audit entries."""
    # Imported here: core sits below the domains; only this operators' page gathers their queues.
    from sinergia.core.models import AuditEntry
    from sinergia.directory.selectors import claim_pending_list

    context = {
        "claims": claim_pending_list()[:100],
        "claim_count": claim_pending_list().count(),
        "audit_entries": AuditEntry.objects.select_related("actor", "target_type")[:30],
    }
    return render(request, "core/moderation.html", context)
