"""Helpers the directory's services share: permission checks and text lengths."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _


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
