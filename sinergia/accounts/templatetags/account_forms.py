"""Form helpers for the account pages, whose forms (allauth's) we do not build ourselves."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

WIDGET_CLASSES = {"checkbox": "form-check-input", "radio": "form-check-input", "select": "form-select"}


@register.filter
def styled(field: BoundField) -> SafeString:
    """The field's widget with Bootstrap Italia classes (Django adds aria-invalid and aria-describedby)."""
    css = [field.field.widget.attrs.get("class", ""), WIDGET_CLASSES.get(field.widget_type, "form-control")]
    if field.errors:
        css.append("is-invalid")
    return field.as_widget(attrs={"class": " ".join(c for c in css if c)})
