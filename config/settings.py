"""Django settings for opencity, read from the environment.

Two modes: the embedded default (SQLite under ./var, a generated secret key, a broker
that needs no server) and production (OPENCITY_MODE=production: every secret and host
must be given, HTTPS is enforced).
"""

import contextlib
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env, env_bool, env_list
from config.schedule import beat_schedule
from config.security import map_tile_origin, permissions_policy
from config.storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OPENCITY_VAR_DIR", BASE_DIR / "var")).resolve()


MODE = env("OPENCITY_MODE", "embedded")
if MODE not in {"embedded", "production"}:
    raise ImproperlyConfigured("OPENCITY_MODE must be 'embedded' or 'production'")
PRODUCTION = MODE == "production"


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production refuses to start without one: "
            'generate it with `python -c "import secrets; print(secrets.token_urlsafe(64))"`.'
        )
    # The embedded default keeps a generated key so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names served in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "opencity.accounts.apps.OpenCityAdminConfig",  # django.contrib.admin, sign-in throttled
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "opencity.core",
    "opencity.accounts",
    "opencity.organisations",
    "opencity.buildings",
    "opencity.notifications",
    "opencity.appeals",
    "opencity.outages",
    "opencity.meters",
    "opencity.inspections",
    "opencity.demo",
    "opencity.open311",
    "opencity.chatbot",
    "opencity.analytics",
    "opencity.web",
    "ninja",  # serves the API docs' Swagger UI itself (no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Each request's memo of what it works out more than once (opencity/core/requestmemo.py).
    "opencity.core.requestmemo.RequestMemoMiddleware",
    # /health/ answers from its own check: nothing below may query the database first.
    "opencity.core.middleware.HealthMiddleware",
    # Before tenancy: limits first, and even a failure to find the city answers in JSON/XML.
    "opencity.core.api_guard.ApiGuardMiddleware",
    # One sanitiser for every text: NUL, controls, lone surrogates never reach a view.
    "opencity.core.middleware.TextCleanMiddleware",
    "opencity.core.middleware.MunicipalityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "opencity.core.middleware.MunicipalityLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opencity.core.middleware.MunicipalityUserMiddleware",
    # Anonymous reads of the public lists and pages: ETag/304 and shared JSON answers.
    "opencity.core.publiccache.PublicCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "opencity.core.middleware.DomainErrorMiddleware",
]

# The performance bench's floor view and query counter (config/bench_floor.py): set only by
# bench/bench_floor.py for the server it starts; production refuses it.
BENCH_FLOOR = env_bool("OPENCITY_BENCH_FLOOR")
if BENCH_FLOOR:
    if PRODUCTION:
        raise ImproperlyConfigured("OPENCITY_BENCH_FLOOR is for the bench only, never production")
    MIDDLEWARE.insert(0, "config.bench_floor.QueryCountMiddleware")

# The views PublicCacheMiddleware serves to anonymous visitors (opencity/core/publiccache.py):
# "json" answers are shared between visitors, "html" pages get ETags (per visitor's CSRF
# cookie); "appeal-html" is one appeal's page, which changes with that appeal only.
PUBLIC_CACHE_VIEWS = {
    "appeals:public_list": "html",
    "appeals:public_points": "json",
    "appeals:public_detail": "appeal-html",
    "api:appeal_list": "json",
    "open311:requests": "json",
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "opencity" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "opencity.core.context_processors.municipality",
                "opencity.demo.context_processors.demo_history",
            ],
        },
    },
]

# Database: DATABASE_URL, or a SQLite file under ./var.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'opencity.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# Read replicas (PostgreSQL streaming replicas): public pages and analytics read there, with
# read-your-writes for a client that just wrote (opencity/core/replicas.py has the rules).
DATABASE_REPLICAS = []
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS")):
    _alias = f"replica{_index + 1}"
    DATABASES[_alias] = dj_database_url.parse(
        _url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    DATABASES[_alias]["TEST"] = {"MIRROR": "default"}
    DATABASE_REPLICAS.append(_alias)
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["opencity.core.replicas.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("opencity.core.middleware.HealthMiddleware"),
        "opencity.core.replicas.ReplicaReadsMiddleware",
    )
# How long a client that wrote reads from the primary (longer than the replica's lag).
DATABASE_REPLICA_PIN_SECONDS = int(env("DATABASE_REPLICA_PIN_SECONDS", "5"))
# The views whose GET and HEAD may read from a replica (fnmatch patterns of URL names).
DATABASE_REPLICA_VIEWS = env_list(
    "DATABASE_REPLICA_VIEWS",
    "appeals:public_*,appeals:ratings,outages:public_*,outages:building*,open311:*,"
    "api:appeal_list,api:appeal_detail,api:appeal_events,api:outage_list,api:outage_map,"
    "api:outage_detail,api:category_*,api:organisation_*",
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["opencity.accounts.backends.MunicipalityLoginBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Caches: rate limits and one-time codes live here. Use Redis in production.
REDIS_URL = env("REDIS_URL")
CACHE_URL = env("CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "opencity.core.cache.PooledRedisCache", "LOCATION": CACHE_URL}}
else:
    # A file cache is shared by every web worker process on one machine.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Internationalisation
LANGUAGE_CODE = env("LANGUAGE_CODE", "ru")
LANGUAGES = [("ru", _("Russian")), ("en", _("English")), ("tt", _("Tatar"))]
LOCALE_PATHS = [BASE_DIR / "opencity" / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # one day-first, 24-hour format per language
TIME_ZONE = env("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
STATICFILES_DIRS = [BASE_DIR / "opencity" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG


STORAGES["default"] = s3_storage() or STORAGES["default"]

# Maps: any XYZ tile server; self-host one for production if the public one is not allowed.
MAP_TILE_URL = env("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
)

# Tenancy: which municipality answers a host that none claims (a slug), else the first.
DEFAULT_MUNICIPALITY = env("DEFAULT_MUNICIPALITY")
# The installation's own address (scheme, host, port): the links in e-mails, SMS and
# notifications are absolute. A municipality is linked on its first host name that
# ALLOWED_HOSTS admits (SITE_URL's scheme and port), else at SITE_URL/m/<slug>/.
SITE_URL = (
    env("SITE_URL")
    or (
        next((f"https://{h}" for h in ALLOWED_HOSTS if h and h[0] not in ".*["), "")
        if PRODUCTION
        else "http://127.0.0.1:8000"
    )
).rstrip("/")

# E-mail and SMS
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "opencity <noreply@localhost>")
SMS_BACKEND = env("SMS_BACKEND", "opencity.core.sms.ConsoleSmsBackend")

# Appeal photos: the upload limits (JPEG, PNG, WebP, HEIC).
APPEAL_PHOTO_MAX_BYTES = int(env("APPEAL_PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))
APPEAL_PHOTO_MAX_PIXELS = int(env("APPEAL_PHOTO_MAX_PIXELS", str(50_000_000)))
# The Telegram bot: its notifications per second (Telegram's limit for bulk sending is ~30)
# and the largest photo it takes from a chat.
TELEGRAM_RATE_PER_SECOND = int(env("TELEGRAM_RATE_PER_SECOND", "30"))
CHATBOT_PHOTO_MAX_BYTES = int(env("CHATBOT_PHOTO_MAX_BYTES", str(APPEAL_PHOTO_MAX_BYTES)))

# The chat bot: a dialog untouched this long is reset politely (what was typed is offered back).
CHATBOT_DIALOG_TIMEOUT_MINUTES = int(env("CHATBOT_DIALOG_TIMEOUT_MINUTES", "30"))

# The API and Open311: error format per prefix, request limits per key and per address.
API_GUARD_PREFIXES = {
    "/api/": "opencity.core.api_errors.error_response",
    "/open311/": "opencity.open311.renderers.guard_error",
}
API_RATE_WINDOW = int(env("API_RATE_WINDOW", "60"))
API_RATE_LIMIT_PER_IP = int(env("API_RATE_LIMIT_PER_IP", "300"))
API_RATE_LIMIT_PER_KEY = int(env("API_RATE_LIMIT_PER_KEY", "1200"))
# Tells whether a presented token or key is live: such requests count per credential only.
API_CREDENTIAL_CHECK = "opencity.accounts.selectors.credential_active"
API_MAX_BODY_BYTES = int(env("API_MAX_BODY_BYTES", str(256 * 1024)))
# File imports through the API (a provider's month of meter readings) may be larger than a photo.
API_IMPORT_MAX_BYTES = int(env("API_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
API_UPLOAD_LIMITS = {"/api/v1/meters/imports": API_IMPORT_MAX_BYTES}

# Login throttling: failures per window, strictly per login (then refused unchecked from
# anywhere) and loosely per address (then only logins that failed are refused from it).
LOGIN_RATE_LIMIT = int(env("LOGIN_RATE_LIMIT", "5"))
LOGIN_RATE_LIMIT_PER_IP = int(env("LOGIN_RATE_LIMIT_PER_IP", "100"))
LOGIN_RATE_WINDOW = int(env("LOGIN_RATE_WINDOW", "300"))
# How many reverse proxies stand in front (their X-Forwarded-For entries are trusted).
LOGIN_TRUSTED_PROXIES = int(env("LOGIN_TRUSTED_PROXIES", "0"))
SMS_HTTP_URL = env("SMS_HTTP_URL")
SMS_HTTP_TOKEN = env("SMS_HTTP_TOKEN")
SMS_HTTP_SENDER = env("SMS_HTTP_SENDER", "opencity")

# The demo city's "simulated city" mode: its organisations accept, work on and resolve the
# appeals filed live, through the real services (opencity/demo/simulation/). Off unless asked
# (scripts/demo.sh asks); only municipalities the demo generated are ever touched.
DEMO_SIMULATION = env_bool("OPENCITY_DEMO_SIMULATION", False)

# Celery. The embedded default uses kombu's filesystem transport: no broker server,
# messages are files under ./var/broker, shared by processes on one machine.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Analytics' rollups follow the appeals' events after commit (off: the sweep and
# rebuild_analytics only; docs/subsystems/analytics.md).
ANALYTICS_LIVE = env_bool("ANALYTICS_LIVE", True)
# How long a process gathers the appeals it changed before one rollups task takes them all.
ANALYTICS_FEED_SECONDS = float(os.environ.get("ANALYTICS_FEED_SECONDS", "1.0"))
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat exactly once on several machines: the scheduler holding a Redis lease sends
# (opencity/core/beat.py). Without Redis (one machine) the plain scheduler runs.
CELERY_BEAT_LOCK_URL = env("CELERY_BEAT_LOCK_URL", REDIS_URL)
CELERY_BEAT_LOCK_TTL = float(env("CELERY_BEAT_LOCK_TTL", "30"))
if CELERY_BEAT_LOCK_URL:
    CELERY_BEAT_SCHEDULER = "opencity.core.beat:LockedScheduler"
CELERY_BEAT_SCHEDULE = beat_schedule(demo_simulation=DEMO_SIMULATION)


# Security
# Content-Security-Policy (django-csp): every script and style is a file the app serves; no
# inline <script>, on*= handler, style attribute or <style>, no eval. Tiles come from
# MAP_TILE_URL's host (Leaflet's {s} subdomains as a wildcard).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *filter(None, [map_tile_origin(MAP_TILE_URL)])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = permissions_policy()
SESSION_COOKIE_HTTPONLY = True
# Sessions are kept in the database and read through the cache (Redis in production): a
# signed-in request reads no session row.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # httpx logs every request's URL at INFO, and a Bot API URL carries the bot's token.
        "httpx": {"level": "WARNING"},
    },
}
