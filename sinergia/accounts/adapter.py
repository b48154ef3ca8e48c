"""allauth adapter: account e-mails leave through the task queue."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMessage

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
