"""Background tasks of accounts."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_prepared_email(*, subject: str, body: str, to: list[str], html: str = "") -> None:
    """Send an e-mail already rendered in the user's language."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
