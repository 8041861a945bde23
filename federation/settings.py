"""Settings for Union Ledger.

Everything that differs between machines comes from the environment (django-environ); a `.env` file
beside manage.py is read when present. `.env.example` documents every variable. With no configuration
at all the app runs on SQLite in var/ in debug mode, which is what `make run` and `make test` need.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp import constants as csp
from django.utils.translation import gettext_lazy as _

from federation.uploads.backends import default_storage_entry

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="dev-only-insecure-key-change-me" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "federation",
    "unions",
    "members",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "federation.text.RequestTextCleaning",  # no control character in any GET, POST or cookie value
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "federation.urls"
WSGI_APPLICATION = "federation.wsgi.application"
ASGI_APPLICATION = "federation.asgi.application"

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
                "federation.context_processors.navigation",
            ],
        },
    },
]

# SQLite in var/ unless DATABASE_URL says otherwise (postgres://… uses psycopg 3).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'union_ledger.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: PostgreSQL compiles the plan of every query estimated above jit_above_cost, and the
    # catalogue's aggregates over a city's records paid 30-45 ms of compiling each, a quarter of the
    # catalogue's database CPU at tier L (bench/catalogue.py with PGOPTIONS="-c jit=off" and without).
    # work_mem 32 MB: the summary's sorts of a city's year (100 000 aid records by kind, each person
    # counted once) fit in memory; with the server's default 4 MB they spilled to disk (issue 11).
    # An `options` given in DATABASE_URL (?options=...) is kept.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c work_mem=32MB")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "federation.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# In development whitenoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded and generated files (scans, photos, import files, exports, finalised summaries) go through
# STORAGES["default"]: MEDIA_ROOT on this machine, or — with S3_BUCKET set — S3-compatible object storage
# (django-storages) that every app server and worker shares (federation.uploads.backends, README
# "Configuration").
STORAGES = {
    "default": default_storage_entry(
        bucket=env.str("S3_BUCKET", default=""),
        endpoint_url=env.str("S3_ENDPOINT_URL", default=""),
        access_key_id=env.str("S3_ACCESS_KEY_ID", default=""),
        secret_access_key=env.str("S3_SECRET_ACCESS_KEY", default=""),
        region=env.str("S3_REGION", default=""),
        prefix=env.str("S3_PREFIX", default=""),
        addressing_style=env.str("S3_ADDRESSING_STYLE", default=""),
    ),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Largest upload accepted (contract scans, photos, imported workbooks), in megabytes.
UPLOAD_MAX_MB = env.int("UPLOAD_MAX_MB", default=20)
# No URL serves MEDIA_ROOT: every file is downloaded through a view that asks federation.scoping. Behind
# nginx, this names the `internal` location mapped to MEDIA_ROOT ("/protected-media/"), and the views
# answer with X-Accel-Redirect for nginx to send the file (README "Uploaded files"). Only with the file
# system storage: from S3 the views stream the file themselves.
UPLOADS_X_ACCEL_REDIRECT = env.str("UPLOADS_X_ACCEL_REDIRECT", default="")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# --- Long work on Celery (federation/celery.py, federation/background.py) ------------------------
# Imports' check and commit, big list exports, the summary's PDF/XLSX and 定稿 run as Celery tasks.
# With no CELERY_BROKER_URL they run in-process, inside the call that queues them (make run, tests);
# with one (redis://127.0.0.1:6379/0) `celery -A federation worker` runs them. The job's state lives on
# its row (ImportBatch, ExportJob), so any app server shows it.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True  # the rows hold the outcome; no result backend
# Acknowledged only once done, and given back when the worker dies (kill -9, OOM): every task is
# idempotent (it checks its row's state under a row lock first), so running it again is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker holds one long job, not a queue of them
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]  # task arguments are primary keys
# A job past the soft limit ends as failed with a Chinese reason; the hard limit kills its process.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=30 * 60)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 5 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis gives an unacknowledged task (its worker died) to another worker after this many seconds:
    # longer than the hard time limit, or a slow job would run twice at once (harmless, but wasted).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 10 * 60),
    # Several installations (or test runs) may share one Redis: each keeps to its own keys.
    "global_keyprefix": env.str("CELERY_KEY_PREFIX", default=""),
}
CELERY_TIMEZONE = "Asia/Shanghai"
# Periodic work run by `celery -A federation beat`, by name: {"task": <task name>, "schedule": seconds
# or a crontab}. Each part of the app adds its own entries here (clean-up below; refreshing stored
# figures, …); without a broker nothing runs them — run `manage.py cleanup` from cron instead.
PERIODIC_TASKS: dict[str, dict] = {
    "cleanup": {"task": "federation.cleanup", "schedule": crontab(hour=3, minute=17)},
    # The stored figures of the dashboard and the summary page (reports.indicators.stored).
    "refresh-figures": {"task": "reports.refresh_due_figures", "schedule": 60.0},
    # 入会申请 rejected or undecided for 90 days go, with the personal data they hold (issue 14).
    "join-applications-purge": {
        "task": "members.join_applications_purge",
        "schedule": crontab(hour=3, minute=41),
    },
}
CELERY_BEAT_SCHEDULE = PERIODIC_TASKS

# Cache: Redis when REDIS_URL (or CACHE_URL) is set — shared by every app server —, local memory
# otherwise.
REDIS_URL = env.str("REDIS_URL", default="") or env.str("CACHE_URL", default="")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several installations may share one Redis.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default=""),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The public pages of 入会申请 (members.applications.throttle): per client address and per join link,
# in a window of JOIN_THROTTLE_WINDOW seconds.
JOIN_THROTTLE_WINDOW = env.int("JOIN_THROTTLE_WINDOW", default=3600)
JOIN_SUBMITS_PER_ADDRESS = env.int("JOIN_SUBMITS_PER_ADDRESS", default=10)
JOIN_SUBMITS_PER_LINK = env.int("JOIN_SUBMITS_PER_LINK", default=300)
JOIN_LOOKUPS_PER_ADDRESS = env.int("JOIN_LOOKUPS_PER_ADDRESS", default=60)

# A list export of more rows than this is written by an export job (federation.exports.jobs)
# instead of inside the request (openpyxl writes ~3 000 rows a second).
EXPORT_INLINE_MAX_ROWS = env.int("EXPORT_INLINE_MAX_ROWS", default=20000)

# The annual summary PDF lists every union only up to this many; above it, its appendix has one row
# per subordinate federation and the XLSX carries every union (WeasyPrint: ~0.35 s per page of table).
SUMMARY_PDF_UNION_LIMIT = env.int("SUMMARY_PDF_UNION_LIMIT", default=300)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if not SECURE_HSTS_PRELOAD:
        # Deployments sit on a federation's closed network, where the browsers' public HSTS preload
        # list means nothing; a site that wants it sets SECURE_HSTS_PRELOAD=true.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step and page of every PDF at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# --- Error pages, login throttling, Content-Security-Policy (issue 10) ---------------------------
# The error pages are templates/400.html … 500.html (federation.errors); Django answers a wrong
# method with an empty 405, which this middleware fills with 405.html.
MIDDLEWARE += ["federation.errors.NotAllowedPageMiddleware"]

# Login throttling (django-axes, federation.login_guard): LOGIN_FAILURE_LIMIT wrong passwords within
# LOGIN_COOLOFF_MINUTES lock the account (from any address) and the address (for any account) for
# LOGIN_COOLOFF_MINUTES after the last failure; a successful login clears its account's and address's
# failures. Every failure and lockout is logged and kept in the admin (登录保护), where an
# administrator unlocks by deleting the account's 登录失败计数.
INSTALLED_APPS += ["federation.login_guard.AxesConfig"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as django-axes requires
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "federation.login_guard.lockout_response"
AXES_COOLOFF_MESSAGE = _("登录失败次数过多，请稍后再试。")
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure kept, not only the running count
AXES_SENSITIVE_PARAMETERS: list[str] = []  # the log names the account and address (never the password)
# Behind reverse proxies (nginx …) the client's address is read from X-Forwarded-For, this many
# entries from the right; with 0 (no proxy) it is REMOTE_ADDR. Wrong here, every login would share
# the proxy's address and one person's typos would lock out everybody.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "federation.login_guard.client_ip"
LOGGING["loggers"]["axes.apps"] = {"level": "WARNING"}  # its start-up banner on every command

# Content-Security-Policy (django-csp), enforced: scripts only from our own static files (no inline
# script, no inline event handler, no eval); stylesheets from our own files, an inline <style> only
# with the request's nonce (the summary's pygal charts carry theirs); style attributes are allowed
# (the summary's column widths, pygal's hidden tooltip) — they cannot run code. WeasyPrint, which
# typesets the PDF from HTML, is not a browser and ignores the policy. With DEBUG on, django-csp leaves
# Django's technical 404 and 500 pages (inline styles and scripts) without the header.
INSTALLED_APPS += ["csp"]
# Early, so that the pages inner middleware renders (the 405 page, the login lockout) carry it too.
MIDDLEWARE.insert(1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF, csp.NONCE],
        "style-src-attr": [csp.UNSAFE_INLINE],
        "img-src": [csp.SELF],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
