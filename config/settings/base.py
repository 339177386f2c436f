"""Settings shared by every environment. Environment files override what differs."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = False
ALLOWED_HOSTS: list[str] = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "cocommission.core",
    "cocommission.accounts",
    "cocommission.organisations",
    "cocommission.partnerships",
    "cocommission.commissioning",
    "cocommission.agreements",
    "cocommission.needs",
    "cocommission.deciding",
    "cocommission.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cocommission.accounts.middleware.RequireMFAMiddleware",
    # Axes must come last so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "cocommission.core.context_processors.service",
            ],
        },
    },
]
# Form fields render through our GOV.UK templates (templates/django/forms overrides).
FORM_RENDERER = "cocommission.core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each write transaction takes the write lock when it begins, so a read-then-write check (a
    # limit, a count) cannot be overtaken by another request between its read and its write, and
    # two writers wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out accounts before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# django-allauth: email is the identity; no usernames.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "cocommission.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Cocommission: "
# Our subclasses keep allauth's behaviour and change only the words (GOV.UK labels, hints, errors).
ACCOUNT_FORMS = {
    "login": "cocommission.accounts.forms.LoginForm",
    "signup": "cocommission.accounts.forms.SignupForm",
    "add_email": "cocommission.accounts.forms.AddEmailForm",
    "change_password": "cocommission.accounts.forms.ChangePasswordForm",
    "set_password": "cocommission.accounts.forms.SetPasswordForm",
    "reset_password": "cocommission.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "cocommission.accounts.forms.ResetPasswordKeyForm",
    "reauthenticate": "cocommission.accounts.forms.ReauthenticateForm",
}
# Failed passwords are counted and locked out by django-axes (one mechanism for the service
# and the Django admin); AccountAdapter.pre_authenticate skips allauth's own count of them.
# allauth's "login_failed" limit stays on because it also limits wrong security codes at
# two-step sign in, which axes never sees: at most 5 per account in 5 minutes.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Cocommission"
MFA_ADAPTER = "cocommission.accounts.adapter.MFAAdapter"
MFA_FORMS = {
    "authenticate": "cocommission.accounts.forms.MFAAuthenticateForm",
    "reauthenticate": "cocommission.accounts.forms.MFAReauthenticateForm",
    "activate_totp": "cocommission.accounts.forms.ActivateTOTPForm",
}
# Whether commissioners, panel members and platform admins must set up MFA before using the
# service. On in production; the demo may switch it off so a newcomer can look around.
COCOMMISSION_MFA_REQUIRED = env_bool("COCOMMISSION_MFA_REQUIRED", True)

# django-axes: 5 failed attempts lock the account for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
# Counted per account and, separately, per address, so one address cannot try many accounts.
# An address may fail 20 times before it is locked (accounts/lockout.py: offices share one).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "cocommission.accounts.lockout.AccountOrAddressHandler"
AXES_USERNAME_CALLABLE = "cocommission.accounts.lockout.username_from_attempt"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# How many reverse proxies of ours stand in front of the service (see core/client.py). Everything
# that counts requests by address reads the client's address the same way.
COCOMMISSION_TRUSTED_PROXY_COUNT = int(os.environ.get("COCOMMISSION_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "cocommission.core.client.client_address"
ALLAUTH_TRUSTED_PROXY_COUNT = COCOMMISSION_TRUSTED_PROXY_COUNT

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "build" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "build" / "static"]
# Uploaded passport documents live outside the static root and are only ever served by a
# view that checks permission; MEDIA_URL is deliberately unused.
MEDIA_ROOT = Path(os.environ.get("COCOMMISSION_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Keeps at most MAX_UPLOAD_BYTES + 1 bytes of any uploaded file (core/upload_handlers.py).
FILE_UPLOAD_HANDLERS = [
    "cocommission.core.upload_handlers.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cocommission <no-reply@cocommission.localhost>")

# Content Security Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

SERVICE_NAME = "Cocommission"
# The address links in emails point at: emails are often sent with no request to take it from.
SITE_URL = os.environ.get("COCOMMISSION_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SERVICE_PHASE = "beta"
PAGE_SIZE = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
