"""WSGI entry point for the production server."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergia.settings")
application = get_wsgi_application()

# What the application loaded at start lives as long as the worker: moved out of the collector's sight, it is not
# traversed again by every full collection; and the youngest generation is collected less often, as a request
# allocates tens of thousands of objects that are freed by reference counting anyway.
gc.collect()
gc.freeze()
gc.set_threshold(50_000, 20, 20)
