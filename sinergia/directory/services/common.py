"""Helpers the directory's services share: checks, lengths, notifications in the recipient's language."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from sinergia.core.services import notify


def require_perm(user: Any, perm: str, obj: models.Model | None = None) -> None:
    """Raise PermissionDenied unless the user has the permission (on the object)."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(_("You are not allowed to do this."))


def clean_text(value: str | None, *, model: type[models.Model], field: str, required: bool = False) -> str:
    """Strip the text and check it against the model field's length (TextFields are not checked by Django)."""
    text = (value or "").strip()
    model_field = model._meta.get_field(field)
    assert isinstance(model_field, models.Field)
    verbose, limit = model_field.verbose_name, model_field.max_length
    if required and not text:
        raise ValidationError({field: _("Please fill in the %(field)s.") % {"field": verbose}})
    if limit and len(text) > limit:
        raise ValidationError({field: _("The %(field)s is too long: %(length)d characters, at most %(limit)d.")
                               % {"field": verbose, "length": len(text), "limit": limit}})
    return text


def notify_in_language(
    *, user: Any, kind: str, title: Callable[[], str], body: Callable[[], str] = str, url: Callable[[], str] = str
) -> None:
    """Notify one user, with title, body and link rendered in the user's own language."""
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        notify(recipients=[user], kind=kind, title=str(title()), body=str(body()), url=str(url()))
