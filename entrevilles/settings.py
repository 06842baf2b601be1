"""Entrevilles settings: one module, every value from the environment, safe defaults.

With no environment at all, the platform runs the embedded default: SQLite in var/,
the database-backed task worker, and mail to the local SMTP sink on port 1025.
Production sets DJANGO_DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and EMAIL_URL-like
variables (see the README).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def installation_secret_key(path: Path) -> str:
    """The random key of this installation, made on first use and kept in `path`.

    A key shared by every installation (a key written in the code) would let anyone forge
    the signed links of any demo or development install. Several processes start at once
    (web, worker): the key is written to a temporary file and linked into place, so the
    first one wins and every process reads the same key.
    """
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(secrets.token_urlsafe(64))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process made it first: use theirs
    finally:
        temporary.unlink()
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", True)
# Production must set SECRET_KEY; elsewhere each installation makes its own, in var/.
SECRET_KEY = env_str("SECRET_KEY") or (
    installation_secret_key(VAR_DIR / "secret_key") if DEBUG else ""
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DJANGO_DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Entrevilles, one app per domain.
    "accounts",
    "audit",
    "network",
    "commissions",
    "meetings",
    "actions",
    "library",
    "learning",
    "circulars",
    "search",
    "notifications",
    "privacy",
    "api",
    "ops",
    "uploads",
    # The demo world and its generators, and the benchmarks: no product app imports them.
    "demo",
    "benchmarks",
]

MIDDLEWARE = [
    # Pages (and, in the embedded default, static files served from the apps' folders)
    # go out compressed; collected static files carry their own .gz/.br versions and are
    # left as they are. BREACH: the only secret in pages is the CSRF token, which Django
    # masks afresh on every response, and the middleware pads its output with random
    # bytes ("Heal the BREACH"), so compressing pages reveals nothing.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "entrevilles.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "entrevilles.middleware.RefuseNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, the user read at once (accounts/middleware.py).
    "accounts.middleware.SignedInUserMiddleware",
    "accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the translated refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "entrevilles.urls"
WSGI_APPLICATION = "entrevilles.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "entrevilles" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "library.context_processors.review",
                "notifications.context_processors.unread",
            ],
            # The `date` filter of every template writes dates as the reader's language
            # does ("1er octobre 2013"): entrevilles/dates.py; `{% colon %}` the colon
            # after a label ("Présidence : Maputo").
            "builtins": ["entrevilles.templatetags.dates", "entrevilles.templatetags.typography"],
            # {% once_per_process %}: the layout's parts rendered once per web process.
            "libraries": {"layout": "entrevilles.templatetags.layout"},
        },
    }
]

# Databases: SQLite by default, anything dj-database-url understands through DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'entrevilles.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; a busy timeout instead of
    # "database is locked" errors; IMMEDIATE transactions avoid upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA mmap_size=268435456; PRAGMA cache_size=-64000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if env_bool("TESTING", False) else 60
# Caches. "default" is each process's own memory: what a process may keep alone (API rate
# counts, results keyed by a fingerprint of their data). "shared" is read by every web
# process, so that dropping an entry when the data changes reaches them all: fragments
# that change rarely and that each page would otherwise rebuild (the directory's filter
# choices). Files in var/ by default, each process remembering what it read until the file
# changes (entrevilles.filecache); with web servers on several machines, point it at a cache
# they share (SHARED_CACHE_BACKEND and SHARED_CACHE_LOCATION, e.g. memcached).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": env_str("SHARED_CACHE_BACKEND", "entrevilles.filecache.RememberingFileCache"),
        "LOCATION": env_str("SHARED_CACHE_LOCATION", str(VAR_DIR / "cache")),
        "TIMEOUT": None,
        # Beside the fragments, each signed-in person's session, roles and unread count.
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# Sessions are read from the shared cache and written to it and to the database: a
# signed-in page costs no query for its session. Logging out deletes the session from
# both, for every process; one missing from the cache (evicted) is read from the
# database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "shared"
# After a change, fragments are built but not kept for this long (entrevilles.fragments):
# the transaction that made the change has committed by then.
FRAGMENTS_QUIET_SECONDS = env_int("FRAGMENTS_QUIET_SECONDS", 30)
# Long lists count their matches exactly up to this many, and say "about" beyond
# (entrevilles.counting).
EXACT_COUNT_LIMIT = env_int("EXACT_COUNT_LIMIT", 10_000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out address or account before the password is
# checked, and counts each failure.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Network administrators hold every permission (accounts/backends.py).
    "accounts.backends.NetworkAdminBackend",
    # Django's ModelBackend, the signed-in person's row kept between requests.
    "accounts.backends.KeptUserBackend",
    # user.has_perm("app.can_…", obj) asks the app's own rule (accounts/backends.py).
    "accounts.backends.RuleBackend",
]
LOGIN_URL = "accounts:login"

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed logins from one address,
# or for one account, further attempts are refused (even with the right password) for
# LOGIN_LOCKOUT_MINUTES; each further series of failures doubles the wait, up to a day.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's e-mail field
AXES_COOLOFF_TIME = "accounts.throttling.lockout_duration"
AXES_LOCKOUT_CALLABLE = "accounts.login_views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept (address, time) for the back office
# Behind a reverse proxy, the number of proxies that add X-Forwarded-For (0: none).
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Second factor (django-otp): these roles, staff and superusers must use one; anyone may.
SECOND_FACTOR_REQUIRED_ROLES = ["network_admin", "secretariat"]
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Entrevilles")
RECOVERY_CODES = 10
# Changing roles, approving and sending circulars ask for the password (and the code)
# again when the last confirmation is older than this.
REAUTHENTICATION_MINUTES = env_int("REAUTHENTICATION_MINUTES", 15)
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"

# Languages: the network's three working languages.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "fr", "es")
# Content missing in the reader's language falls back to English, then French, then Spanish.
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en", "fr", "es"),
}
LOCALE_PATHS = [BASE_DIR / "entrevilles" / "locale"]
LANGUAGE_COOKIE_NAME = "entrevilles_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even when serving from finders
STATICFILES_DIRS = [
    BASE_DIR / "entrevilles" / "static",
    # Front-end packages installed from the npm registry by bin/bootstrap.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/pico", BASE_DIR / "node_modules" / "@picocss" / "pico" / "css"),
    # Natural Earth outlines (TopoJSON) the world map of the learning programme is drawn on.
    ("vendor/world-atlas", BASE_DIR / "node_modules" / "world-atlas"),
    # jQuery UI for the back office's language tabs (django-modeltranslation).
    ("vendor/jquery-ui", BASE_DIR / "node_modules" / "jquery-ui" / "dist"),
]
# django-modeltranslation would load these from a CDN: the local copies instead (its tabs
# run on the back office's own jQuery).
JQUERY_URL = "admin/js/vendor/jquery/jquery.min.js"
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded files are never served from a public folder: /files/<name> asks the
# permission rule of the record that owns the file (uploads.downloads).
MEDIA_URL = "/files/"
# "" (Django sends the bytes), "x-accel-redirect" (nginx) or "x-sendfile" (Apache...):
# the web server sends the file once Django has said yes; see the README.
FILES_SENDFILE = env_str("FILES_SENDFILE", "")
FILES_ACCEL_REDIRECT_PREFIX = env_str("FILES_ACCEL_REDIRECT_PREFIX", "/protected-files/")

# Background work: django.tasks with the database backend, run by `manage.py run_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER_HEARTBEAT_SECONDS = 5
WORKER_STALE_AFTER_SECONDS = env_int("WORKER_STALE_AFTER_SECONDS", 30)
# How often each worker takes over what dead workers left (ops.recovery), how many times a
# task is tried before it is marked failed, and how long a task may run before /healthz
# reports it stuck.
WORKER_MAINTENANCE_SECONDS = env_int("WORKER_MAINTENANCE_SECONDS", 15)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3)
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 3600)

# Mail: the local sink by default (bin/start runs it on 127.0.0.1:1025; it writes each
# message to var/mail/ and staff read them at /mailbox/); a real relay in production.
MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "127.0.0.1"),
            "port": env_int("EMAIL_PORT", 1025),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "use_ssl": env_bool("EMAIL_USE_SSL", False),
            "timeout": env_int("EMAIL_TIMEOUT", 30),
        },
    }
}
# A circular goes out over this many SMTP connections at once, each kept open for the
# whole run (a relay answers each message after a round trip; several connections keep
# it busy). Ask the relay's operator how many it allows from one client.
CIRCULARS_SMTP_CONNECTIONS = env_int("CIRCULARS_SMTP_CONNECTIONS", 4)
# The notification e-mails (the daily digests above all) go out the same way, to the same
# relay. On the embedded SQLite database, whose writes take turns, one connection by
# default: the digests' threads would wait on its lock more than on the relay.
NOTIFICATIONS_SMTP_CONNECTIONS = env_int(
    "NOTIFICATIONS_SMTP_CONNECTIONS",
    1 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else CIRCULARS_SMTP_CONNECTIONS,
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Entrevilles <no-reply@entrevilles.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAILBOX_DIR = Path(env_str("MAILBOX_DIR", str(VAR_DIR / "mail")))
# Set by run_platform: the greeting of this instance's own mail sink, checked by /healthz.
MAIL_SINK_IDENT = env_str("MAIL_SINK_IDENT")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anonymous callers read; a write asks for a signed-in caller before anything else,
    # so that no validation answer reaches someone who may not write at all. Each view
    # then asks its app's permissions module about the object.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["entrevilles.api.filters.StrictFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "entrevilles.api.parsers.JSONParser",
        "entrevilles.api.parsers.FormParser",
        "entrevilles.api.parsers.MultiPartParser",
    ],
    # DRF's JSON renderer, which also writes the kept pages of lists around their rows
    # rendered once (entrevilles/api/kept.py); then DRF's browsable API.
    "DEFAULT_RENDERER_CLASSES": [
        "entrevilles.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "entrevilles.api.exceptions.handle_exception",
    # Client addresses for rate limits: REMOTE_ADDR, or the address the trusted proxies
    # saw (X-Forwarded-For is not taken from the client itself).
    "NUM_PROXIES": env_int("TRUSTED_PROXY_COUNT", 0),
    # Generous limits: a person or a script at work never meets them, a flood does.
    "DEFAULT_THROTTLE_CLASSES": [
        "entrevilles.api.throttles.AnonymousRateThrottle",
        "entrevilles.api.throttles.PersonRateThrottle",
    ],
}
API_THROTTLE_RATES = {
    "anon": env_str("API_THROTTLE_ANON", "1200/minute"),
    "user": env_str("API_THROTTLE_USER", "6000/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Entrevilles API",
    "DESCRIPTION": "The network directory, commissions and the city-to-city learning programme.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models have a "status"; each choice set gets its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": "meetings.models.MeetingStatus",
        "ParticipationStatusEnum": "meetings.models.ParticipationStatus",
        "ActionStatusEnum": "actions.models.ActionStatus",
        "PublicationStatusEnum": "library.models.Status",
        "MembershipStatusEnum": "network.models.MembershipStatus",
        "LanguageEnum": "entrevilles.settings.LANGUAGES",
        "NeedStatusEnum": "learning.models.needs.NeedStatus",
        "NeedVisibilityEnum": "learning.models.needs.NeedVisibility",
        "DocumentVisibilityEnum": "library.models.DocumentVisibility",
        "ActivityKindEnum": "learning.models.partnerships.ActivityKind",
        "DocumentKindEnum": "library.models.DocumentKind",
        "CircularKindEnum": "circulars.models.CircularKind",
        "CircularStatusEnum": "circulars.models.CircularStatus",
        "SegmentKindEnum": "circulars.models.SegmentKind",
        "DeliveryStatusEnum": "circulars.models.DeliveryStatus",
        "OrganisationKindEnum": "network.models.OrganisationKind",
    },
}

# Security: strict by default when DEBUG is off; `check --deploy` passes with no warning.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the htmx header reads it
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Every page: scripts, styles, images and requests from our own origin only, no inline
# script or style (htmx's indicator style is turned off in base.html and lives in our
# CSS), no plugin, never inside a frame. Uploaded files get a stricter sandbox policy
# of their own (uploads.downloads).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Pico's form icons are data: SVG images in its stylesheet.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Browser features no page uses (entrevilles.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "screen-wake-lock",
        "serial", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The organisation (by its directory reference) that is the network's own secretariat:
# it signs the circulars composed from meetings. An administrators' decision.
NETWORK_SECRETARIAT_REF = env_str("NETWORK_SECRETARIAT_REF", "demo:world-secretariat")

# Daily tasks, enqueued by the workers once the hour has passed (see ops.schedule).
# The action plan's reminders are notifications ("action due"), mailed in each owner's digest.
DAILY_TASKS = [
    "notifications.tasks.send_daily_notifications",
    "privacy.tasks.purge_expired",
]
DAILY_TASKS_HOUR = env_int("DAILY_TASKS_HOUR", 6)

# Retention: how many days each kind of record is kept before the daily purge removes it
# (the privacy page states them). RETENTION_<NAME>_DAYS in the environment changes one.
RETENTION_DAYS = {
    name: env_int(f"RETENTION_{name.upper()}_DAYS", days)
    for name, days in {
        "delivery_logs": 730,
        "expired_invitations": 90,
        "past_meeting_registrations": 1825,
        "unconfirmed_accounts": 30,
        "notification_history": 365,
    }.items()
}

# The sentence-embedding model of search and matchmaking: a key of search.embedding.MODELS
# ("e5+use", "e5", "use") or the dotted path of a class with the same interface. A change
# re-embeds every text (`manage.py rebuild_vectors`).
SEARCH_EMBEDDING_MODEL = env_str("SEARCH_EMBEDDING_MODEL", "e5+use")
# Where a model's weights unpacked once are kept, mapped read-only by every process (one
# copy in the system's page cache instead of one per process).
SEARCH_MODEL_FILES = Path(env_str("SEARCH_MODEL_FILES", str(VAR_DIR / "models")))
