"""Account forms: sign-up, profile, API tokens and deletion. They parse; the services decide."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sinergia.accounts.models import User


class SignupForm(forms.Form):
    """allauth's sign-up with the person's name, kept on the user."""

    full_name = forms.CharField(label=_("Full name"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.language = (getattr(request, "LANGUAGE_CODE", "") or user.language)[:2]
        user.save(update_fields=["full_name", "language"])


class ProfileForm(forms.Form):
    """The person's name and the language of the site and of the e-mails."""

    full_name = forms.CharField(label=_("Full name"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES,
                                 help_text=_("The language of the site and of the e-mails we send you."))


class ApiTokenForm(forms.Form):
    """The name of a new API token."""

    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What will use it, e.g. “calendar sync script”."))


class AccountDeleteForm(forms.Form):
    """Deletion is confirmed with the account's password."""

    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="wrong_password")
        return password
