"""WSGI entry point for the production server."""

import gc
import os
from collections.abc import Callable, Iterable

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergia.settings")

# Requests after which a worker freezes again what it has loaded since: modules, stemmers and schemas that the
# first requests load lazily stay as long as the worker, and each full collection would traverse them again.
REFREEZE_AFTER = frozenset({20, 200, 2_000})


def freeze() -> None:
    """Move what is alive now out of the collector's sight (after collecting what is garbage already)."""
    gc.collect()
    gc.freeze()


class Refreezing:
    """The application, freezing again after REFREEZE_AFTER requests of the worker."""

    def __init__(self, application: Callable) -> None:
        self.application, self.served = application, 0

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        response = self.application(environ, start_response)
        self.served += 1
        if self.served in REFREEZE_AFTER:
            freeze()
        return response


application = Refreezing(get_wsgi_application())

# What the application loaded at start lives as long as the worker: moved out of the collector's sight, it is not
# traversed again by every full collection; and the youngest generation is collected less often, as a request
# allocates tens of thousands of objects that are freed by reference counting anyway.
freeze()
gc.set_threshold(50_000, 20, 20)
