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
    """The landing page."""
    return render(request, "core/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """What the signed-in user manages and what waits for them."""
    return render(request, "core/dashboard.html")


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
    return render(request, "core/moderation.html")
