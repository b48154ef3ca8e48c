"""The person's own account pages: profile, API tokens, personal-data export, deletion."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sinergia.accounts import selectors, services
from sinergia.accounts.forms import AccountDeleteForm, ApiTokenForm, ProfileForm
from sinergia.accounts.models import ApiToken, User


class AuthenticatedRequest(HttpRequest):
    """A request behind @login_required: its user is a real account."""

    user: User


def _show_error(form: Form, error: ValidationError | PermissionDenied) -> None:
    """Put a service's refusal on the form: on its field when it names one, else on the whole form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, str(error) or _("You are not allowed to do this."))


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    """Name and preferred language; saving switches the site to that language."""
    user = request.user
    form = ProfileForm(request.POST or None, initial={"full_name": user.full_name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(user=user, by=user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _show_error(form, error)
        else:
            return _switch_language(request, user.language)
    return render(request, "accounts/profile.html", {"form": form})


def _switch_language(request: HttpRequest, language: str) -> HttpResponse:
    """Redirect to the profile in the new language and remember the language in the cookie."""
    with translation.override(language):
        messages.success(request, _("Your profile was saved."))
    response = redirect(translate_url(reverse("accounts:profile"), language))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE, secure=settings.LANGUAGE_COOKIE_SECURE,
                        httponly=settings.LANGUAGE_COOKIE_HTTPONLY)
    return response


@login_required
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    """The user's API tokens; creating one shows its raw value this once."""
    form, raw = ApiTokenForm(request.POST or None), ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.api_token_create(user=request.user, by=request.user, name=form.cleaned_data["name"])
        except (ValidationError, PermissionDenied) as error:
            _show_error(form, error)
        else:
            form = ApiTokenForm()
    context = {"form": form, "raw_token": raw, "tokens": selectors.api_tokens_of(user=request.user)}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's tokens (404 for anyone else's)."""
    try:
        token = selectors.api_token_get_for(user=request.user, pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


@login_required
def export(request: AuthenticatedRequest) -> HttpResponse:
    """Explain the export; a POST downloads everything we hold about the person as JSON."""
    if request.method != "POST":
        return render(request, "accounts/export.html")
    data = services.user_data_export(user=request.user, by=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="sinergia-personal-data.json"'
    return response


@login_required
def delete(request: AuthenticatedRequest) -> HttpResponse:
    """Delete the account after the password is confirmed, unless an organisation would lose its last admin."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    blocking = services.organisations_left_without_admin(user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=request.user, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            _show_error(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data were deleted."))
            return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form, "blocking": blocking})
