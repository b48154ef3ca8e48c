"""Settings of Sinergia, read from the environment with working one-machine defaults."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The default key only serves a local machine; production sets SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="sinergia-local-development-key-change-me-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    # Before allauth, so that the templates of accounts override allauth's.
    "sinergia.accounts",
    "allauth",
    "allauth.account",
    "ninja",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "sinergia.core",
    "sinergia.directory",
    "sinergia.networks",
    "sinergia.calendar",
    "sinergia.library",
    "sinergia.exchange",
    "sinergia.desk",
    "sinergia.api",
    "sinergia.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "sinergia.urls"
WSGI_APPLICATION = "sinergia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sinergia.core.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite (embedded default) runs in WAL mode with IMMEDIATE transactions and a
# busy timeout, so concurrent writers wait for each other instead of failing.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
    ),
}
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'sinergia.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    DATABASES["default"].setdefault("TEST", {})
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # How many pages a bitmap heap scan asks the disk for ahead of reading them (PostgreSQL 15's default, 1, reads
    # them one by one): a search reads a page per match it has not cached. 0 keeps the server's value, and is what
    # a server without posix_fadvise (macOS) accepts.
    DATABASE_IO_CONCURRENCY = env.int("DATABASE_IO_CONCURRENCY", default=64)
    if DATABASE_IO_CONCURRENCY:
        database_options = DATABASES["default"].setdefault("OPTIONS", {})
        database_options["options"] = " ".join(
            [database_options.get("options", ""), f"-c effective_io_concurrency={DATABASE_IO_CONCURRENCY}"]).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sinergia",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "sinergia.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "sinergia.accounts.forms.SignupForm"

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Sinergia <noreply@sinergia.local>")

# --- Background tasks -------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "ENQUEUE_ON_COMMIT": True,
    }
}

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="it")
LANGUAGES = [
    ("it", _("Italian")),
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
]
LOCALE_PATHS = [BASE_DIR / "sinergia" / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Rome")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Only the distributed builds of the npm packages are served, under vendor/.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap-italia", NODE_MODULES / "bootstrap-italia" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
    ("vendor/chart.js", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": env("STATICFILES_STORAGE", default="whitenoise.storage.CompressedStaticFilesStorage")},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# --- Security ---------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_TLS_PROXY", default=False) else None
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# --- Sinergia ---------------------------------------------------------------
MAP_TILE_URL = env("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)
LOGO_MAX_BYTES = 2 * 1024 * 1024
SHARED_DATA_DIR = env.path("SINERGIA_SHARED_DATA", default=BASE_DIR.parent / "shared" / "data")
PAGE_SIZE = 24
API_PAGE_SIZE_MAX = 100

# --- Calendar ---------------------------------------------------------------
# Occurrences are materialised this far ahead (and kept this far back) so range queries are index scans.
CALENDAR_HORIZON_MONTHS = env.int("CALENDAR_HORIZON_MONTHS", default=24)
CALENDAR_HISTORY_MONTHS = env.int("CALENDAR_HISTORY_MONTHS", default=12)
CALENDAR_MAX_OCCURRENCES_PER_EVENT = env.int("CALENDAR_MAX_OCCURRENCES_PER_EVENT", default=1000)
CALENDAR_IMPORT_MAX_BYTES = env.int("CALENDAR_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
CALENDAR_IMAGE_MAX_BYTES = env.int("CALENDAR_IMAGE_MAX_BYTES", default=5 * 1024 * 1024)
CALENDAR_DEFAULT_TIMEZONE = env("CALENDAR_DEFAULT_TIMEZONE", default="Europe/Rome")
# Feed URLs are fetched by the server: bounded, and never towards loopback or private ranges (SSRF) unless an
# operator running a closed network of instances allows it here: "false" (the default) allows none, "true" every
# address, and a comma-separated list of CIDR networks only those (say "10.20.0.0/16,fd00:1::/64").


def feed_private_addresses(value: str) -> bool | list[str]:
    """CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES from its text: a boolean as env.bool reads one, or the networks listed."""
    import ipaddress  # this setting alone needs these

    from django.core.exceptions import ImproperlyConfigured

    text = value.strip().lower()
    if text in {"", "0", "false", "off", "no", "n"}:
        return False
    if text in {"1", "true", "on", "ok", "yes", "y"}:
        return True
    try:
        return [str(ipaddress.ip_network(item.strip(), strict=False)) for item in text.split(",") if item.strip()]
    except ValueError as error:
        raise ImproperlyConfigured(f"CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES: {error}. Give true, false, or CIDR "
                                   "networks separated by commas.") from error


CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES = feed_private_addresses(env.str("CALENDAR_FEED_ALLOW_PRIVATE_ADDRESSES",
                                                                       default="false"))
CALENDAR_FEED_TIMEOUT_SECONDS = env.float("CALENDAR_FEED_TIMEOUT_SECONDS", default=15.0)
CALENDAR_FEED_MAX_BYTES = env.int("CALENDAR_FEED_MAX_BYTES", default=10 * 1024 * 1024)
CALENDAR_FEED_MAX_REDIRECTS = 5
CALENDAR_FEED_SYNC_MINUTES = env.int("CALENDAR_FEED_SYNC_MINUTES", default=60)
CALENDAR_FEED_MAX_EVENTS = env.int("CALENDAR_FEED_MAX_EVENTS", default=10_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# --- Library ----------------------------------------------------------------
# Contributions of accounts younger than this, with fewer approved resources than this, wait for moderation.
LIBRARY_TRUSTED_ACCOUNT_DAYS = env.int("LIBRARY_TRUSTED_ACCOUNT_DAYS", default=14)
LIBRARY_TRUSTED_APPROVED_COUNT = env.int("LIBRARY_TRUSTED_APPROVED_COUNT", default=3)
# Library files are not under MEDIA_ROOT: private and networks-only documents are served by a view that checks who
# asks, never by a public URL.
LIBRARY_FILES_ROOT = env.path("LIBRARY_FILES_ROOT", default=BASE_DIR / "var" / "library")
LIBRARY_FILE_MAX_BYTES = env.int("LIBRARY_FILE_MAX_BYTES", default=50 * 1024 * 1024)
# Text extraction is bounded: pages read, characters kept, seconds spent per file.
LIBRARY_TEXT_MAX_PAGES = env.int("LIBRARY_TEXT_MAX_PAGES", default=2000)
LIBRARY_TEXT_MAX_CHARS = env.int("LIBRARY_TEXT_MAX_CHARS", default=2_000_000)
LIBRARY_TEXT_TIMEOUT_SECONDS = env.float("LIBRARY_TEXT_TIMEOUT_SECONDS", default=120.0)
LIBRARY_IMPORT_MAX_BYTES = env.int("LIBRARY_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
LIBRARY_IMPORT_MAX_RECORDS = env.int("LIBRARY_IMPORT_MAX_RECORDS", default=5000)
LIBRARY_EXPORT_MAX_RECORDS = env.int("LIBRARY_EXPORT_MAX_RECORDS", default=5000)
# A search finding more than LIBRARY_SEARCH_EXACT_MAX resources is broad: its counts are estimated from a sample,
# and its results ranked among the matches of the newest resources (about LIBRARY_SEARCH_POOL matches, reading at
# most LIBRARY_SEARCH_SCAN_MAX resources), so that its cost does not grow with the library.
LIBRARY_SEARCH_EXACT_MAX = env.int("LIBRARY_SEARCH_EXACT_MAX", default=1000)
LIBRARY_SEARCH_POOL = env.int("LIBRARY_SEARCH_POOL", default=250)
LIBRARY_SEARCH_SCAN_MAX = env.int("LIBRARY_SEARCH_SCAN_MAX", default=3000)
LIBRARY_OAI_PAGE_SIZE = env.int("LIBRARY_OAI_PAGE_SIZE", default=100)
LIBRARY_OAI_REPOSITORY_NAME = env("LIBRARY_OAI_REPOSITORY_NAME", default="Sinergia library")
LIBRARY_OAI_ADMIN_EMAIL = env("LIBRARY_OAI_ADMIN_EMAIL", default="library@sinergia.invalid")
# The repository identifier of OAI-PMH identifiers (oai:<this>:<uuid>) never changes once harvested: set the
# site's domain before the first harvest (empty: the host of SITE_URL, then the first of ALLOWED_HOSTS).
LIBRARY_OAI_REPOSITORY_IDENTIFIER = env("LIBRARY_OAI_REPOSITORY_IDENTIFIER", default="")
LIBRARY_OAI_TOKEN_MAX_AGE_SECONDS = env.int("LIBRARY_OAI_TOKEN_MAX_AGE_SECONDS", default=86400)

# --- Exchange ---------------------------------------------------------------
# Rate limits of the platform's messages (per person and hour): mass messaging is refused with a clear error.
EXCHANGE_THREADS_PER_HOUR = env.int("EXCHANGE_THREADS_PER_HOUR", default=20)
EXCHANGE_MESSAGES_PER_HOUR = env.int("EXCHANGE_MESSAGES_PER_HOUR", default=60)
# A match from this score (of 100) is notified to both organisations; listings are reminded this many days before
# they expire.
EXCHANGE_GOOD_MATCH_SCORE = env.int("EXCHANGE_GOOD_MATCH_SCORE", default=60)
EXCHANGE_EXPIRING_DAYS = env.int("EXCHANGE_EXPIRING_DAYS", default=7)

# --- Notifications and periodic work -----------------------------------------
# The local hour from which the daily digest of e-mails goes out. `manage.py periodic` enqueues every periodic job
# (feed syncs, occurrence refresh, digest, deadline reminders, listing expiry): see sinergia/core/periodic.py.
NOTIFICATION_DIGEST_HOUR = env.int("NOTIFICATION_DIGEST_HOUR", default=7)
