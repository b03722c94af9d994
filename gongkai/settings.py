"""The one settings module, driven by environment variables (see docs/configuration.md).

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
    # The reverse proxy in front of ``gongkai serve``: the one address whose X-Forwarded-For,
    # X-Forwarded-Proto and X-Request-ID are believed (gongkai.wsgi.TrustedProxy, under
    # waitress and gunicorn alike); every other peer's are dropped.
    TRUSTED_PROXY = config.trusted_proxy(config.env_str("GONGKAI_TRUSTED_PROXY"))
    LOG_FORMAT = config.log_format(config.env_str("GONGKAI_LOG_FORMAT"))
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
    # The public address the links in messages start with (docs/notices.md).
    SITE_URL = config.site_url(config.env_str("GONGKAI_SITE_URL"))
    SMS_BACKEND = config.sms_backend(config.env_str("GONGKAI_SMS_BACKEND"))
    # The day by which 乡镇人民政府 and 街道办事处 publish their annual report, where a provincial
    # rule sets one (the 条例 sets none): (month, day) or None. docs/law/reports.md.
    TOWNSHIP_REPORT_DEADLINE = config.month_day(
        "GONGKAI_TOWNSHIP_REPORT_DEADLINE", config.env_str("GONGKAI_TOWNSHIP_REPORT_DEADLINE")
    )
    REDIS_URL = config.redis_url(config.env_str("GONGKAI_REDIS_URL"))
    JOBS_BACKEND = config.jobs_backend(config.env_str("GONGKAI_JOBS"), REDIS_URL)
    # On the embedded default `gongkai serve` runs the jobs itself (docs/jobs.md).
    JOBS_IN_SERVE = config.env_bool("GONGKAI_JOBS_IN_SERVE", default=JOBS_BACKEND == "database")
    # Uploaded files: the data folder, or an S3-compatible bucket with GONGKAI_S3_BUCKET
    # (docs/storage.md).
    FILE_STORAGE = config.file_storage()
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
# The file SMS backend's folder (gongkai.notices.sms.FileBackend).
SMS_FILE_PATH = str(DATA_DIR / "sms")

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
    "gongkai.notices",
    "gongkai.ledger",
    "gongkai.api",
    "gongkai.search",
    "gongkai.reports",
    "gongkai.checker",
    "gongkai.jobs",
    "gongkai.site",
    "django_tasks",
    "django_tasks_db",
]

# Background jobs (docs/jobs.md): Django's Tasks interface (the django-tasks backport), the
# queue in the database by default, in Redis (RQ) with GONGKAI_JOBS=redis. The same code runs
# on both; only where the queue lives and who runs the workers changes.
if JOBS_BACKEND == "redis":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 6 * 3600}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

MIDDLEWARE = [
    "gongkai.core.requestlog.request_log",
    "gongkai.core.middleware.no_body_for_head",
    "gongkai.core.middleware.refuse_oversized_body",
    "django.middleware.security.SecurityMiddleware",
    "gongkai.core.middleware.content_security_policy",
    "gongkai.core.middleware.explain_method_not_allowed",
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
                "gongkai.core.context_processors.law",
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
    "default": FILE_STORAGE,
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
# Sessions live in the database (shared by every process and machine); with Redis they are
# also read from it (write-through, so an evicted session is read back from the database).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = 8 * 3600  # one working day
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "gongkai.site.views.csrf_failure"  # a Chinese 403, not Django's own page

if HTTPS:
    SECURE_SSL_REDIRECT = config.env_bool("GONGKAI_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the monitoring asks the app server directly
    # No SECURE_PROXY_SSL_HEADER: the scheme comes from wsgi.url_scheme, which gongkai.wsgi
    # takes from X-Forwarded-Proto of GONGKAI_TRUSTED_PROXY only, so no client can claim https.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = config.env_int("GONGKAI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Every line carries the id of the request it was written in (gongkai.core.requestlog); one
# JSON object per line with GONGKAI_LOG_FORMAT=json. gongkai.request writes one line per
# request (method, path, status, duration, user id).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "gongkai.core.requestlog.RequestContext"}},
    "formatters": {
        "plain": {"()": "gongkai.core.requestlog.PlainFormatter"},
        "json": {"()": "gongkai.core.requestlog.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"gongkai": {"level": "INFO"}},
}
