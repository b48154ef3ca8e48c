"""Background tasks shared by every domain."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from sinergia.core.models import Notification


@task()
def send_notification_email(*, notification_id: int) -> bool:
    """E-mail one notification to its recipient, once: a retry after success sends nothing."""
    updated = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not updated:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return False
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {"notification": notification, "site_url": settings.SITE_URL, "user": recipient}
        send_mail(
            subject=f"[Sinergia] {notification.title}",
            message=render_to_string("core/email/notification.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[recipient.email],
        )
    return True
