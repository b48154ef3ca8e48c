"""The preferences form: one e-mail mode per registered kind, and the switch of every e-mail."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergia.core.models import EmailMode
from sinergia.core.notifications.preferences import Preferences
from sinergia.core.notifications.registry import KINDS, kinds_by_group


def field_name(kind: str) -> str:
    """The form field of a kind (dots make awkward HTML ids)."""
    return "mode_" + kind.replace(".", "__")


class PreferencesForm(forms.Form):
    """How each kind of notification reaches the user by e-mail."""

    all_off = forms.BooleanField(
        label=_("Switch all e-mail off"), required=False,
        help_text=_("Nothing is e-mailed to you, whatever the choices below; your notifications page still shows "
                    "everything."),
    )

    def __init__(self, *args: Any, preferences: Preferences, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["all_off"].initial = preferences.all_off
        for kind in KINDS:
            self.fields[field_name(kind.key)] = forms.ChoiceField(
                label=str(kind.label), choices=EmailMode.choices, widget=forms.RadioSelect,
                initial=preferences.modes[kind.key],
                error_messages={"required": _("Choose how to receive this kind of notification.")},
            )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The kinds' fields by group, for a fieldset each."""
        return [(str(group.label), [self[field_name(kind.key)] for kind in kinds])
                for group, kinds in kinds_by_group()]

    def modes(self) -> dict[str, str]:
        """The chosen mode of each kind, once the form is valid."""
        return {kind.key: self.cleaned_data[field_name(kind.key)] for kind in KINDS}
