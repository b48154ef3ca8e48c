from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "sinergia.library"
    label = "library"
    verbose_name = _("Library")

    def ready(self) -> None:
        from sinergia.library import receivers

        receivers.connect()
