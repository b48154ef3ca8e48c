"""allauth adapter: account e-mails leave through the task queue; sign-in lands in the user's language."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from sinergia.accounts.tasks import send_prepared_email


class AccountAdapter(DefaultAccountAdapter):
    """Renders allauth's e-mails in the request, sends them from a background task."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        message: EmailMessage = self.render_mail(template_prefix, email, context)
        alternatives = [(content, mimetype) for content, mimetype in getattr(message, "alternatives", [])]
        send_prepared_email.enqueue(
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            html=alternatives[0][0] if alternatives else "",
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """The dashboard in the user's preferred language (an explicit ?next= still wins)."""
        language = getattr(request.user, "language", "") or translation.get_language()
        with translation.override(language):
            return reverse("core:dashboard")
