"""One settings module, configured only by the environment; production fails closed.

KYOSAI_ENV    production (default) | development | test
SECRET_KEY    or SECRET_KEY_FILE (a file holding it); default: a random key kyosai generates once
              into $KYOSAI_HOME/secret_key (0600), read only when something signs (not by --help)
DATABASE_URL  default: SQLite at $KYOSAI_HOME/kyosai.sqlite3 (KYOSAI_HOME default ./var)
See .env.example for every variable. Every error here is one Japanese line (ImproperlyConfigured).
"""

import functools
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import lazy

from kyosai.core.fonts import font_dir
from kyosai.core.home import home_secret_key

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
    "kyosai.core",
    "kyosai.org",
    "kyosai.catalog",
    "kyosai.results",
    "kyosai.accounts",
    "kyosai.plans",
    "kyosai.activities",
    "kyosai.events",
    "kyosai.reports",
    "kyosai.workbench",
    "kyosai.web",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "ja"
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

# Computed dashboard figures are cached across the gunicorn workers in files under KYOSAI_HOME
# (keys carry the data's version, see kyosai/web/cache.py); tests use the per-process cache.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if KYOSAI_ENV == "test"
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.getenv("KYOSAI_CACHE_DIR", str(KYOSAI_HOME / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}

# Outside production whitenoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = not IS_PRODUCTION

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
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.getenv("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

if KYOSAI_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
