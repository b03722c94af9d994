"""The one settings module, driven by environment variables (see README, 配置).

SQLite in the data folder by default; PostgreSQL with ``DATABASE_URL``. ``GONGKAI_HTTPS=true``
turns on the settings a public deployment behind HTTPS needs (``manage.py check --deploy``).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from gongkai import config

BASE_DIR = Path(__file__).resolve().parent

try:
    DATA_DIR = config.data_dir()
    DEBUG = config.env_bool("GONGKAI_DEBUG", default=False)
    HTTPS = config.env_bool("GONGKAI_HTTPS", default=False)
    # The reverse proxy in front of ``gongkai serve``: the one address whose X-Forwarded-For
    # and X-Forwarded-Proto are believed (waitress replaces the client address and scheme
    # with them); every other peer's forwarded headers are dropped.
    TRUSTED_PROXY = config.trusted_proxy(config.env_str("GONGKAI_TRUSTED_PROXY"))
    SECRET_KEY = config.secret_key(DATA_DIR)
    DATABASES = {"default": config.database(config.env_str("DATABASE_URL"), DATA_DIR)}
    ALLOWED_HOSTS = config.env_list("GONGKAI_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
    CSRF_TRUSTED_ORIGINS = config.env_list("GONGKAI_CSRF_TRUSTED_ORIGINS", [])
    EMAIL_HOST = config.env_str("GONGKAI_EMAIL_HOST")
    EMAIL_PORT = config.env_int("GONGKAI_EMAIL_PORT", 25)
    EMAIL_HOST_USER = config.env_str("GONGKAI_EMAIL_USER")
    EMAIL_HOST_PASSWORD = config.env_str("GONGKAI_EMAIL_PASSWORD")
    EMAIL_USE_TLS = config.env_bool("GONGKAI_EMAIL_TLS", default=False)
    EMAIL_USE_SSL = config.env_bool("GONGKAI_EMAIL_SSL", default=False)
    DEFAULT_FROM_EMAIL = config.env_str("GONGKAI_EMAIL_FROM", "gongkai@localhost")
    SITE_AGENCY = config.env_str("GONGKAI_SITE_AGENCY")
    REDIS_URL = config.redis_url(config.env_str("GONGKAI_REDIS_URL"))
except config.ConfigError as exc:
    raise ImproperlyConfigured(str(exc)) from exc

SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    # No mail server configured: keep every message as a file in the data folder, so that
    # nothing sent to an applicant is lost and a clerk can see what would have gone out.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "gongkai.core",
    "gongkai.history",
    "gongkai.agencies",
    "gongkai.portal",
    "gongkai.office",
    "gongkai.applications",
    "gongkai.catalog",
    "gongkai.letters",
    "gongkai.ledger",
    "gongkai.api",
    "gongkai.search",
    "gongkai.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.core.middleware.content_security_policy",
    "gongkai.core.middleware.refuse_control_characters",
    "gongkai.core.middleware.MissingFontMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.core.context_processors.site",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "office:login"
LOGIN_REDIRECT_URL = "office:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the app folders when they have not been collected (tests,
# a first start): a township office should not have to run collectstatic by hand.
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two caches, never one: the page cache may evict (it holds pages of every query string a
# visitor invents), the rate-limit counters must not (an evicted counter is a lifted limit).
# Embedded default: in the process's memory (one `gongkai serve` process); with
# GONGKAI_REDIS_URL, in Redis, shared by every process and machine (its INCR is atomic).
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gongkai-pages",
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gongkai-limits",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "gongkai-pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "gongkai-limits",
            # Far more than a window can fill: each address is itself limited to a few
            # dozen attempts, so filling this takes tens of thousands of addresses.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
    }

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if HTTPS:
    SECURE_SSL_REDIRECT = config.env_bool("GONGKAI_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the monitoring asks the app server directly
    # No SECURE_PROXY_SSL_HEADER: the scheme comes from the server (wsgi.url_scheme), which
    # takes X-Forwarded-Proto from GONGKAI_TRUSTED_PROXY only, so no client can claim https.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = config.env_int("GONGKAI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"gongkai": {"level": "INFO"}},
}
