"""One settings module, configured only by the environment; production fails closed.

KYOSAI_ENV    production (default) | development | test
SECRET_KEY    or SECRET_KEY_FILE (a file holding it); default: a random key kyosai generates once
              into $KYOSAI_HOME/secret_key (0600), read only when something signs (not by --help)
DATABASE_URL  default: SQLite at $KYOSAI_HOME/kyosai.sqlite3 (KYOSAI_HOME default ./var)
See .env.example for every variable. Every error here is one Japanese line (ImproperlyConfigured).
"""

import functools
import ipaddress
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy

from kyosai.core.fonts import font_dir
from kyosai.core.home import home_secret_key

# ModelAdmin[Model] and the like, as the type annotations write them, also at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    """A boolean variable; anything but true/false (1/0) is a configuration error."""
    value = os.getenv(name, "").strip().lower()
    if value == "":
        return default
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: true または false を指定してください。")


def envsecret(name: str) -> str:
    """A secret from $NAME, or from the file named by $NAME_FILE (container secrets)."""
    path = os.getenv(f"{name}_FILE", "")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE={path} を読めません（{exc.strerror}）。ファイルと権限を確認してください。"
            ) from None
    return os.getenv(name, "").strip()


def envint(name: str, default: int, minimum: int = 1, maximum: int | None = None) -> int:
    """A whole number at least `minimum` and at most `maximum` (1_000_000 allowed); anything else
    is a configuration error."""
    value = os.getenv(name, "").strip().replace("_", "")
    if value == "":
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < minimum:
        raise ImproperlyConfigured(f"{name}={value!r}: {minimum} 以上の整数を指定してください。")
    if maximum is not None and int(value) > maximum:
        raise ImproperlyConfigured(
            f"{name}={value!r}: {minimum} 以上 {maximum:,} 以下の整数を指定してください。")
    return int(value)


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


KYOSAI_ENV = os.getenv("KYOSAI_ENV", "production").strip().lower()
if KYOSAI_ENV not in ("production", "development", "test"):
    raise ImproperlyConfigured(
        f"KYOSAI_ENV={KYOSAI_ENV!r}: production・development・test のいずれかを指定してください。")
IS_PRODUCTION = KYOSAI_ENV == "production"

DEBUG = envbool("KYOSAI_DEBUG", default=KYOSAI_ENV == "development")
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "本番（KYOSAI_ENV=production）では KYOSAI_DEBUG を有効にできません。KYOSAI_DEBUG を外してください。")

KYOSAI_HOME = Path(os.getenv("KYOSAI_HOME", BASE_DIR / "var")).expanduser().resolve()

# A key from the environment always wins. Otherwise the key kyosai generated into KYOSAI_HOME,
# read (or created) on first use only: --help, --version and `scorecard --input` never touch it.
# The test suite signs with a fixed key and leaves KYOSAI_HOME alone.
SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if KYOSAI_ENV == "test":
        SECRET_KEY = "insecure-test-key-never-used-outside-the-test-suite"
    else:
        SECRET_KEY = lazy(functools.cache(functools.partial(home_secret_key, KYOSAI_HOME)), str)()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if IS_PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",  # before kyosai.accounts: its login signals run before the audit's
    "csp",
    "kyosai.core",
    "kyosai.org",
    "kyosai.catalog",
    "kyosai.results",
    "kyosai.accounts",
    "kyosai.plans",
    "kyosai.activities",
    "kyosai.events",
    "kyosai.reports",
    "kyosai.members",
    "kyosai.workbench",
    "kyosai.web",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "kyosai.api",
    "kyosai.delivery",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kyosai.core.middleware.RequestBodyLimit",  # 413 before anything reads a large body
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kyosai.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "kyosai.core.middleware.RejectNulCharacters",  # no NUL reaches a form, serializer or column
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "kyosai.urls"
WSGI_APPLICATION = "kyosai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kyosai" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kyosai.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{KYOSAI_HOME / 'kyosai.sqlite3'}"),
        conn_max_age=int(os.getenv("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Logins: django-axes guards every path that authenticates (the site's and the admin's login, any
# future API) because it is an authentication backend. Locked after AXES_FAILURE_LIMIT failures per
# username or per client address within AXES_COOLOFF_TIME; kyosai.accounts.lockout counts each
# attempt before its password is checked, so parallel attempts cannot exceed the limit.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "kyosai.accounts.lockout.SerializedAxesHandler"
AXES_FAILURE_LIMIT = envint("KYOSAI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("KYOSAI_LOGIN_LOCK_MINUTES", 15))
# the login ID and the address, either one locks (the API's bad tokens: the address only)
AXES_LOCKOUT_PARAMETERS = "kyosai.accounts.lockout.lockout_parameters"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the lock ends AXES_COOLOFF_TIME after it began
AXES_LOCKOUT_CALLABLE = "kyosai.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kyosai.accounts.clients.client_address"
AXES_VERBOSE = False

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated);
# from anybody else the header is ignored and the peer address is the client.
KYOSAI_TRUSTED_PROXIES = envlist("KYOSAI_TRUSTED_PROXIES", "")
for _proxy in KYOSAI_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"KYOSAI_TRUSTED_PROXIES: {_proxy!r} はIPアドレスでもネットワーク（例: 10.0.0.0/8）でもありません。"
        ) from None

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "ja"
# Japanese only: LocaleMiddleware then activates ja whatever a browser's Accept-Language asks, so
# Django's and DRF's own messages (form errors, the API's errors) are always their ja translations.
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = KYOSAI_HOME / "static"
# The Japanese web font comes from the matplotlib-fontja package, served as static/fonts/ipaexg.ttf.
STATICFILES_DIRS = [("fonts", str(font_dir()))]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = KYOSAI_HOME / "media"

# Uploads (issue 11, item 4). The largest file any importer takes, on the web or from a command
# (kyosai.core.files); a request body over it (plus 1 MB of form) is refused with 413 before it is
# read (kyosai.core.middleware). Uploaded files over 2.5 MB go to a temporary file, never memory;
# an upload page takes one file. Pending uploads are removed after a day (kyosai uploads purge).
KYOSAI_MAX_UPLOAD_BYTES = envint("KYOSAI_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # the body without its files (Django's default, stated)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 5
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000

# Personal data retention (APPI): the personal data of a member who left more than this many days
# ago is purged once a day by `kyosai worker` (`kyosai members purge --retention`). Unset: no
# automatic purge (the organisation decides the period; `kyosai check --deploy` warns in production).
KYOSAI_PERSONAL_DATA_RETENTION_DAYS: int | None = (
    envint("KYOSAI_PERSONAL_DATA_RETENTION_DAYS", 0, maximum=36_500)
    if os.getenv("KYOSAI_PERSONAL_DATA_RETENTION_DAYS", "").strip() else None)

# Computed dashboard figures are cached across the gunicorn workers in files under KYOSAI_HOME
# (keys carry the data's version, see kyosai/web/cache.py); tests use the per-process cache.
CACHES: dict[str, dict[str, object]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if KYOSAI_ENV == "test"
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.getenv("KYOSAI_CACHE_DIR", str(KYOSAI_HOME / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    ),
    # The dashboards' last rendered pages (kyosai/web/cache.py), apart from the figures: the
    # figures of each data version pile up and are culled at random, the pages must stay.
    "pages": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
        if KYOSAI_ENV == "test"
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.getenv("KYOSAI_CACHE_DIR", str(KYOSAI_HOME / "cache")) + "-pages",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    ),
}

# The dashboard pages' single-flight locks (kyosai/web/cache.py: one file per page, shared by the
# gunicorn workers like the cache); a directory of its own per test process.
KYOSAI_LOCK_DIR = Path(
    os.getenv("KYOSAI_LOCK_DIR", "")
    or (Path(tempfile.gettempdir()) / f"kyosai-test-locks-{os.getpid()}" if KYOSAI_ENV == "test"
        else KYOSAI_HOME / "locks")
)

# Outside production whitenoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION

# Sessions end after 8 hours without a request, and when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
# kyosai.accounts.middleware.IdleSessionMiddleware moves the expiry on (at most once a minute).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy: everything comes from this host; no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Security: secure cookies and HSTS everywhere but development and tests.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "31536000"))
    # Both commit every subdomain (and browsers' preload lists) to HTTPS: the site's owner decides.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", default=False)
    SILENCED_SYSTEM_CHECKS = [check for check, on in (
        ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS), ("security.W021", SECURE_HSTS_PRELOAD),
    ) if not on]

# Only behind a proxy that sets (and strips any client's) X-Forwarded-Proto: name the header, e.g.
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto; a request is then HTTPS when it says "https".
_ssl_header = os.getenv("SECURE_PROXY_SSL_HEADER", "").strip()
if _ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _ssl_header.upper().replace("-", "_"), "https")

if KYOSAI_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- the REST API (/api/v1/, kyosai.api) ------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kyosai.api.authentication.TokenAuthentication",
        "kyosai.api.authentication.SessionAuthentication",  # DRF's, its CSRF failure in Japanese
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "kyosai.api.renderers.CSVRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.JSONParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "kyosai.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "kyosai.api.schema.ErrorDocumentingSchema",  # documents the errors
    "EXCEPTION_HANDLER": "kyosai.api.errors.exception_handler",  # every error in Japanese
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "kyosai API",
    "DESCRIPTION": "共済推進管理システムの REST API（目標・実績・取込）。トークンは「アカウント → APIトークン」で発行します。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- background tasks (django-tasks with its database backend; `kyosai worker` runs them) -----
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- mail: SMTP from EMAIL_URL or EMAIL_HOST…; without either, .eml files under KYOSAI_HOME/mail
from kyosai.delivery.mailconfig import email_settings  # noqa: E402

globals().update(email_settings(os.environ, KYOSAI_HOME))
# The address links in mails point to (subscriptions, alerts).
KYOSAI_SITE_URL = os.getenv("KYOSAI_SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
