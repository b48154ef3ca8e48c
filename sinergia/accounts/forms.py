"""Account forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(forms.Form):
    """allauth's sign-up with the person's name, kept on the user."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.language = (getattr(request, "LANGUAGE_CODE", "") or user.language)[:2]
        user.save(update_fields=["full_name", "language"])
