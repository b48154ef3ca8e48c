"""Home page, the user's dashboard, notifications and the operators' moderation queue."""

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sinergia.core.models import Notification
from sinergia.core.services import notifications_mark_read


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
    from sinergia.directory.models import Invitation
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
    })


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first."""
    page = Paginator(Notification.objects.filter(recipient_id=request.user.pk), 30).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all (or the posted) notifications as read."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notifications_mark_read(user=request.user, ids=ids)
    return redirect("core:notifications")


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
