"""Settings for the MaatwerQ academy platform, read from the environment (django-environ).

Three modes, chosen by MAATWERQ_MODE:
- ``demo`` (default): embedded SQLite, Celery tasks run in-process, MFA not required.
- ``test``: PostgreSQL and Redis from the environment (the Makefile sets them), fast hashing.
- ``production``: every secret must be set; a missing one stops the process and names it.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

MODE = env.str("MAATWERQ_MODE", default="demo")
if MODE not in {"demo", "test", "production"}:
    raise environ.ImproperlyConfigured(
        f"MAATWERQ_MODE must be demo, test or production, not {MODE!r}"
    )
PRODUCTION = MODE == "production"


def _secret(name: str, demo_default: str) -> str:
    """A secret has no default in production: env() raises and names the variable."""
    if PRODUCTION:
        return env.str(name)
    return env.str(name, default=demo_default)


SECRET_KEY = _secret("DJANGO_SECRET_KEY", "demo-only-insecure-key-never-used-in-production")
# Off in the demo too, so a newcomer sees the pages users see (the Dutch 403/404/500 with the
# menu); DJANGO_DEBUG=1 brings Django's technical pages back while developing.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise environ.ImproperlyConfigured("Set the DJANGO_ALLOWED_HOSTS environment variable")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "maatwerq.accounts",
    "maatwerq.audit",
    "participants",
    "leerroutes",
    "employers",
    "reporting",
    "portal",
    "home",
    "demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "django_htmx",
    "template_partials",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "maatwerq.replica.ReplicaPinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maatwerq.accounts.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "maatwerq.uploads.RequestBodyCapMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "maatwerq.accounts.middleware.MembershipMiddleware",
    "maatwerq.accounts.middleware.ClearSiteDataMiddleware",
    "maatwerq.accounts.middleware.RequireMfaMiddleware",
    "maatwerq.audit.middleware.RefusedAccessAuditMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "maatwerq.forms.BootstrapFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

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
                "maatwerq.accounts.context_processors.membership",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL")
    if PRODUCTION
    else env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Server-side binding lets psycopg prepare a statement a connection has run twice: PostgreSQL
# then skips parsing and, once a generic plan is as good, planning (the caseload's rows
# planned in 0.8 ms and ran in 0.6). Behind a pooler that hands a connection to another
# client per transaction (PgBouncer in transaction mode before 1.21), switch it off with
# MAATWERQ_PREPARED_STATEMENTS=false (docs/scaling.md). The test suite binds on the server
# too but prepares nothing (its thousands of one-off statements made it 13% slower; a test
# prepares where it checks preparing); bench/load.py prepares as production does.
PREPARED_STATEMENTS = (
    {
        "server_side_binding": True,
        "prepare_threshold": env.int(
            "MAATWERQ_PREPARE_THRESHOLD", default=None if MODE == "test" else 2
        ),
    }
    if env.bool("MAATWERQ_PREPARED_STATEMENTS", default=True)
    else {}
)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(PREPARED_STATEMENTS)
# Reuse a connection per worker process in production (measured: p95 410 -> 280 ms at 50
# users, bench/load.py); health checks drop a connection the database has closed.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "DJANGO_CONN_MAX_AGE", default=60 if PRODUCTION else 0
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming read replica for reporting's reads (maatwerq.replica, docs/scaling.md): the
# dashboard's and the national view's counts read there, everything else on the primary;
# a browser that just wrote reads on the primary for REPLICA_PIN_SECONDS. In tests the alias
# is a mirror of the test database (switched on per test with REPLICA_READS).
REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if REPLICA_URL:
    _replica = env.db_url_config(REPLICA_URL)
    DATABASES["replica"] = {
        **_replica,
        "OPTIONS": {**_replica.get("OPTIONS", {}), **PREPARED_STATEMENTS},
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
    }
elif MODE == "test":
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
REPLICA_READS = env.bool("MAATWERQ_REPLICA_READS", default=bool(REPLICA_URL))
REPLICA_PIN_SECONDS = env.int("MAATWERQ_REPLICA_PIN_SECONDS", default=10)
DATABASE_ROUTERS = ["maatwerq.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "maatwerq.accounts.backends.StaffModelBackend",
    "maatwerq.accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: email login, no public sign-up (users are invited), rate limits left at allauth's own.
ACCOUNT_ADAPTER = "maatwerq.accounts.adapters.InviteOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Logging in needs no confirmed address (the academy sets it by invitation), but changing it
# does: the new address becomes the login only by the link sent to that mailbox, and the
# email page's "make primary" is shut (accounts.views.ConfirmedEmailView).
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Young people may log in with a one-time code by email instead of a password.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MaatwerQ"
# The roles that must set up two-factor authentication before they see participant data
# (coaches read care notes). These roles cannot log in by an emailed code either
# (accounts.adapters): the code would stand in for the password, not add a factor.
MFA_REQUIRED_ROLES = env.list(
    "MAATWERQ_MFA_REQUIRED_ROLES",
    default=["leerroutecoach", "regisseur", "projectleider", "beheerder"] if PRODUCTION else [],
)
# The Django admin is a second way in: off in production unless turned on. When on, it logs in
# through allauth's login (rate limits, second factor) and, in production, staff must have
# set up two-factor authentication before any admin page (accounts.middleware).
ADMIN_ENABLED = env.bool("MAATWERQ_ADMIN_ENABLED", default=not PRODUCTION)
ADMIN_MFA_REQUIRED = env.bool("MAATWERQ_ADMIN_MFA_REQUIRED", default=PRODUCTION)
# How many proxies in front of the app add an X-Forwarded-For entry (Caddy in the compose
# file: 1). The client address is the entry that many places from the right; with 0 the
# header is ignored. allauth's rate limits and the audit's client IP read this one setting.
TRUSTED_PROXY_COUNT = env.int("MAATWERQ_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
INVITATION_VALID_DAYS = env.int("MAATWERQ_INVITATION_VALID_DAYS", default=7)
# How long a young person keeps access to their own route and dossier after leaving.
PORTAL_ACCESS_YEARS_AFTER_LEAVING = env.int("MAATWERQ_PORTAL_ACCESS_YEARS_AFTER_LEAVING", default=2)
# A started route without a signed plan after this many weeks gets a warning (not a block) on
# the participant page and in `manage.py check_routes`.
PLAN_UNSIGNED_WARNING_WEEKS = env.int("MAATWERQ_PLAN_UNSIGNED_WARNING_WEEKS", default=6)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic writes here in production; the demo and the tests serve from the finders.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Third-party assets installed from the npm registry at set-up (package.json), never a CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # Workbox's browser builds, loaded by the service worker (leerroutes/sw.js).
    *(
        (f"vendor/{name}", BASE_DIR / "node_modules" / name / "build")
        for name in ("workbox-core", "workbox-routing", "workbox-strategies")
    ),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded evidence and generated reports live outside the web root and are served by views
# that check access; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = env.path("MAATWERQ_PRIVATE_ROOT", default=BASE_DIR / "private")
# Where those files are kept: "filesystem" (MEDIA_ROOT, one host or a shared volume) or "s3"
# (any S3-API object store, e.g. MinIO, so that web and worker hosts share them; the bucket is
# private, files are read through the views only). docs/scaling.md.
FILE_STORAGE = env.str("MAATWERQ_FILE_STORAGE", default="filesystem")
if FILE_STORAGE not in {"filesystem", "s3"}:
    raise environ.ImproperlyConfigured("MAATWERQ_FILE_STORAGE is 'filesystem' or 's3'.")
STORAGES["reports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": MEDIA_ROOT},
}
if FILE_STORAGE == "s3":
    S3_OPTIONS = {
        "bucket_name": env.str("MAATWERQ_S3_BUCKET"),
        "endpoint_url": env.str("MAATWERQ_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("MAATWERQ_S3_REGION", default="") or None,
        "access_key": env.str("MAATWERQ_S3_ACCESS_KEY"),
        "secret_key": env.str("MAATWERQ_S3_SECRET_KEY"),
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": S3_OPTIONS}
    STORAGES["reports"] = STORAGES["default"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest request body read at all (maatwerq.uploads.RequestBodyCapMiddleware; the same
# figure is in deploy/Caddyfile): the largest upload is 5 MB of evidence, plus form overhead.
MAATWERQ_MAX_REQUEST_BYTES = env.int("MAATWERQ_MAX_REQUEST_BYTES", default=10 * 1024 * 1024)
# A zipped upload (.xlsx) is refused before it is opened when it would unpack to more than
# this in all, or to more than this many times its packed size (maatwerq.uploads).
MAATWERQ_MAX_UNPACKED_BYTES = 25 * 1024 * 1024
MAATWERQ_MAX_UNPACK_RATIO = 100

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
if PRODUCTION:
    EMAIL_HOST = env.str("DJANGO_EMAIL_HOST")
    EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = True
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="MaatwerQ <noreply@maatwerq.test>"
)

# Caches back allauth's rate limits; production shares them across processes through Redis,
# and keeps them in the process while Redis is down (maatwerq.cache), so logging in still works.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
MAATWERQ_REDIS_CACHE = {
    "BACKEND": "maatwerq.cache.RedisOrLocalCache",
    # Passed to redis-py's pool: an unreachable host must not hold a login for long.
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
}
CACHES = {
    "default": {**MAATWERQ_REDIS_CACHE, "LOCATION": REDIS_URL}
    if PRODUCTION
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Celery: eager in the demo (no Redis needed), a real broker in tests and production.
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=REDIS_URL if MODE != "demo" else "memory://"
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=MODE != "production")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# The address links in emails sent outside a request (the daily digest) start with.
# In production the domain Caddy serves (MAATWERQ_DOMAIN), over HTTPS.
MAATWERQ_BASE_URL = env.str(
    "MAATWERQ_BASE_URL",
    default=f"https://{env.str('MAATWERQ_DOMAIN', default='localhost')}"
    if PRODUCTION
    else "http://127.0.0.1:8000",
)
CELERY_BEAT_SCHEDULE = {
    # Daily: put follow-up checks (6 and 12 months after outflow) that fell due on the
    # coach's list.
    "follow-ups-due": {
        "task": "participants.tasks.follow_ups_mark_due",
        "schedule": 60 * 60 * 24,
    },
    # Daily: remind coaches two weeks before a placement's trial period ends.
    "placement-trial-reminders": {
        "task": "employers.tasks.placement_trial_reminders",
        "schedule": 60 * 60 * 24,
    },
    # Daily at 06:30: one email per user of what falls due today (opt-out per user).
    "digests-send": {
        "task": "home.tasks.digests_send_task",
        "schedule": crontab(hour=6, minute=30),
    },
    # Hourly: remove generated report files whose time is up.
    "report-files-expire": {
        "task": "reporting.tasks.report_runs_expire",
        "schedule": 60 * 60,
    },
}

# Content-Security-Policy: no inline script or style anywhere (django-csp 4).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Staff sessions end after an hour without activity. The session is written again once a
# minute while it is used (accounts.middleware.SessionActivityMiddleware), not on every request.
SESSION_COOKIE_AGE = env.int("MAATWERQ_SESSION_SECONDS", default=60 * 60)
SESSION_TOUCH_SECONDS = 60
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True


class _InvalidTemplateVariable(str):
    """In tests a missing template variable in one of our templates is an error, not a silent
    blank. Third-party page templates (allauth, admin) lean on missing variables by design, so
    a page whose top template comes from site-packages stays lenient."""

    def __mod__(self, name):
        import sys

        from django.template import TemplateSyntaxError

        frame = sys._getframe(1)
        while frame is not None:
            context = frame.f_locals.get("context")
            template = getattr(context, "template", None)
            if template is not None and getattr(template, "origin", None) is not None:
                if "site-packages" in str(template.origin.name):
                    return ""
                break
            frame = frame.f_back
        raise TemplateSyntaxError(f"undefined template variable {name!r}")


if MODE == "test":
    TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = _InvalidTemplateVariable("%s")
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
