"""One settings file, driven by environment variables (see README, "Configuration")."""

from __future__ import annotations

import datetime
import os
import warnings
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TREMPLIN_DATA_DIR", Path.cwd() / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Turn `postgresql://user:pass@host:port/name` or `sqlite:///path` into Django's dict."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("//") or path.startswith("/"):  # sqlite:////absolute/path
            path = path[1:]
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or str(DATA_DIR / "tremplin.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        options = dict(parse_qsl(parsed.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": int(os.environ.get("TREMPLIN_CONN_MAX_AGE", "60")),
        }
    raise ValueError(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (sqlite, postgresql)")


DEBUG = env_flag("TREMPLIN_DEBUG")
DEMO_SECRET_KEY = "django-insecure-tremplin-demo-key-set-TREMPLIN_SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("TREMPLIN_SECRET_KEY", DEMO_SECRET_KEY)  # see tremplin.http
ALLOWED_HOSTS = env_list("TREMPLIN_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("TREMPLIN_CSRF_TRUSTED_ORIGINS", "")

SECURE = env_flag("TREMPLIN_SECURE")  # behind HTTPS: secure cookies, HSTS, redirect
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and not env_flag("TREMPLIN_PROXY_HANDLES_REDIRECT")
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
if env_flag("TREMPLIN_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # the API documentation's Swagger UI from its own static files (no CDN: CSP)
    "django_tasks",
    "django_tasks_db",
    "axes",
    "tremplin.people",
    "tremplin.skills",
    "tremplin.assessments",
    "tremplin.learning",
    "tremplin.rollout",
    "tremplin.notifications",
    "tremplin.insights",
    "tremplin.voice",
    "tremplin.engagement",
    "tremplin.governance",
    "tremplin.risks",
    "tremplin.accountability",
    "tremplin.api",
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
    "tremplin.http.Hardening",
    "tremplin.accountability.audit.AuditLog",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into its page
]

# Sign-in throttling (django-axes), for the sign-in page and the admin's alike: after
# TREMPLIN_LOGIN_ATTEMPTS wrong passwords for one user name from one address, that pair is
# refused for TREMPLIN_LOGIN_COOLOFF_MINUTES; a success clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("TREMPLIN_LOGIN_ATTEMPTS", 5))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("TREMPLIN_LOGIN_COOLOFF_MINUTES", 15))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tremplin.views.locked_out"
AXES_VERBOSE = False

ROOT_URLCONF = "tremplin.urls"
WSGI_APPLICATION = "tremplin.wsgi.application"

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
                "tremplin.people.context.navigation",
            ],
            "builtins": ["tremplin.numbers", "tremplin.dates"],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tremplin.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# An invitation link (the password-reset token of a new login) stays valid two weeks.
PASSWORD_RESET_TIMEOUT = 14 * 24 * 3600

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
FORMAT_MODULE_PATH = ["tremplin.formats"]  # English dates day first, as French ones
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TREMPLIN_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("TREMPLIN_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_flag("TREMPLIN_MANIFEST_STATIC")  # after collectstatic, in production
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True  # serve straight from the package when collectstatic was not run
# Before collectstatic the static root does not exist yet; the finders serve the files meanwhile.
warnings.filterwarnings("ignore", message="No directory at")

# Uploaded import files are kept in the database (PeopleImport.content), never on disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
# Background work (calibration, plans): a queue kept in the database, run by `tremplin worker`
# (started by `tremplin serve` and `tremplin demo`). Tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TREMPLIN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}
# Every change, every read of a page about one person and every download is written to the audit
# log (tremplin.accountability.audit); "off" only to measure what it costs (bench/governance.py).
# Requests a minute each API token may send (per server process).
TREMPLIN_API_RATE_PER_MINUTE = int(os.environ.get("TREMPLIN_API_RATE_PER_MINUTE", 1200))
TREMPLIN_AUDIT_LOG = os.environ.get("TREMPLIN_AUDIT_LOG", "on") != "off"
EVIDENCE_MAX_BYTES = int(os.environ.get("TREMPLIN_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
# Every import (people, framework, catalogue, item bank, answers) reads within these limits.
IMPORT_MAX_BYTES = int(os.environ.get("TREMPLIN_IMPORT_MAX_BYTES", 50 * 1024 * 1024))
IMPORT_MAX_ROWS = int(os.environ.get("TREMPLIN_IMPORT_MAX_ROWS", 250_000))
IMPORT_MAX_COLUMNS = int(os.environ.get("TREMPLIN_IMPORT_MAX_COLUMNS", 200))

# E-mail: SMTP when TREMPLIN_EMAIL_HOST is set, else printed on the console (the demo). Messages
# wait in an outbox (notifications.Message) and the worker, or `tremplin send-due`, sends them.
if os.environ.get("TREMPLIN_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["TREMPLIN_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("TREMPLIN_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("TREMPLIN_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("TREMPLIN_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_flag("TREMPLIN_EMAIL_TLS")
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("TREMPLIN_EMAIL_FROM", "Tremplin <tremplin@localhost>")
# The address the links in e-mails start with.
SITE_URL = os.environ.get("TREMPLIN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TREMPLIN_LOG_LEVEL", "WARNING")},
}

# --- Single sign-on (OpenID Connect) ------------------------------------------------------------
# Off unless TREMPLIN_OIDC_CLIENT_ID is set (README, "Single sign-on"; tremplin/people/sso.py).
# The provider's endpoints are read from its issuer's /.well-known/openid-configuration at the
# first sign-in through it, or given one by one (a given one wins over the discovered one).
TREMPLIN_OIDC_CLIENT_ID = os.environ.get("TREMPLIN_OIDC_CLIENT_ID", "").strip()
TREMPLIN_OIDC_CLIENT_SECRET = os.environ.get("TREMPLIN_OIDC_CLIENT_SECRET", "").strip()
TREMPLIN_OIDC_ISSUER = os.environ.get("TREMPLIN_OIDC_ISSUER", "").strip().rstrip("/")
TREMPLIN_OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("TREMPLIN_OIDC_AUTHORIZATION_ENDPOINT", "")
TREMPLIN_OIDC_TOKEN_ENDPOINT = os.environ.get("TREMPLIN_OIDC_TOKEN_ENDPOINT", "")
TREMPLIN_OIDC_USERINFO_ENDPOINT = os.environ.get("TREMPLIN_OIDC_USERINFO_ENDPOINT", "")
TREMPLIN_OIDC_JWKS_ENDPOINT = os.environ.get("TREMPLIN_OIDC_JWKS_ENDPOINT", "")
TREMPLIN_OIDC_END_SESSION_ENDPOINT = os.environ.get("TREMPLIN_OIDC_END_SESSION_ENDPOINT", "")
TREMPLIN_OIDC_SIGN_ALGO = os.environ.get("TREMPLIN_OIDC_SIGN_ALGO", "RS256")
TREMPLIN_OIDC_SCOPES = os.environ.get("TREMPLIN_OIDC_SCOPES", "openid email profile")
# The name on the sign-in page's button: "Sign in with {name}".
TREMPLIN_OIDC_PROVIDER_NAME = os.environ.get("TREMPLIN_OIDC_PROVIDER_NAME", "SSO")
# Claims naming the person: the employee id first (when a claim is named), then the e-mail.
TREMPLIN_OIDC_EMAIL_CLAIM = os.environ.get("TREMPLIN_OIDC_EMAIL_CLAIM", "email")
TREMPLIN_OIDC_EMPLOYEE_ID_CLAIM = os.environ.get("TREMPLIN_OIDC_EMPLOYEE_ID_CLAIM", "")
# `group=role,group=role`: the roles named here follow the groups claim at each sign-in.
TREMPLIN_OIDC_GROUPS_CLAIM = os.environ.get("TREMPLIN_OIDC_GROUPS_CLAIM", "groups")
TREMPLIN_OIDC_ROLES: dict[str, list[str]] = {}
for pair in env_list("TREMPLIN_OIDC_ROLES", ""):
    group, equals, role = pair.rpartition("=")
    if not (group.strip() and equals and role.strip()):
        raise ValueError(f"TREMPLIN_OIDC_ROLES: {pair!r} is not group=role")
    TREMPLIN_OIDC_ROLES.setdefault(group.strip(), []).append(role.strip())
if TREMPLIN_OIDC_CLIENT_ID:
    missing = []
    if not TREMPLIN_OIDC_CLIENT_SECRET:
        missing.append("TREMPLIN_OIDC_CLIENT_SECRET")
    if not TREMPLIN_OIDC_ISSUER and not (
        TREMPLIN_OIDC_AUTHORIZATION_ENDPOINT
        and TREMPLIN_OIDC_TOKEN_ENDPOINT
        and TREMPLIN_OIDC_USERINFO_ENDPOINT
    ):
        missing.append("TREMPLIN_OIDC_ISSUER, or the authorization, token and userinfo endpoints")
    if TREMPLIN_OIDC_SIGN_ALGO.startswith(("RS", "ES")) and not (
        TREMPLIN_OIDC_ISSUER or TREMPLIN_OIDC_JWKS_ENDPOINT
    ):
        missing.append("TREMPLIN_OIDC_ISSUER or TREMPLIN_OIDC_JWKS_ENDPOINT (to check signatures)")
    if missing:
        raise ValueError(f"Single sign-on is half configured; missing: {'; '.join(missing)}")
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "tremplin.people.sso.PersonBackend"]
    sso_button = "tremplin.people.sso.sign_in_button"  # the sign-in page's button
    TEMPLATES[0]["OPTIONS"]["context_processors"].append(sso_button)  # type: ignore[index]
    # A refused single sign-on is no password guessed: django-axes neither counts nor pauses it.
    AXES_WHITELIST_CALLABLE = "tremplin.people.sso.not_a_password"
    # mozilla-django-oidc's own settings (the endpoints are given by tremplin.people.sso).
    OIDC_RP_CLIENT_ID = TREMPLIN_OIDC_CLIENT_ID
    OIDC_RP_CLIENT_SECRET = TREMPLIN_OIDC_CLIENT_SECRET
    OIDC_RP_SCOPES = TREMPLIN_OIDC_SCOPES
    OIDC_RP_SIGN_ALGO = TREMPLIN_OIDC_SIGN_ALGO
    OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = 10
    # The ID token is kept in the session: signing out of Tremplin then ends the provider's
    # session too (tremplin.people.sso_sign_out).
    OIDC_STORE_ID_TOKEN = True
# --- End of single sign-on ----------------------------------------------------------------------
