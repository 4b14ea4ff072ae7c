"""NextECF settings. Everything that differs between deployments comes from the environment;
the defaults are safe for development and refuse to run in production without secrets."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from nextecf.lib.env import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_secret_list,
    env_str,
    same_database,
    task_queue_from_url,
)

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# Production is anything that is not explicitly development: secrets must then be given.
DEVELOPMENT = env_bool("NEXTECF_DEVELOPMENT", True)
# A court's TRAINING database is a separate instance of NextECF: the same code started with
# TRAINING_INSTANCE=true and its own DATABASE_URL, task queue, document store and cookies, so
# nothing done there can reach the LIVE database (see the README, "The TRAINING database").
# Its development defaults live beside LIVE's under var/ with a "training" name.
TRAINING_INSTANCE = env_bool("TRAINING_INSTANCE", False)
_VAR = "training-" if TRAINING_INSTANCE else ""
SECRET_KEY = env_secret("SECRET_KEY", "dev-only-not-secret" if DEVELOPMENT else None)

ECF_DOMAIN = env_str("ECF_DOMAIN", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
if ECF_DOMAIN:
    ALLOWED_HOSTS.append(f".{ECF_DOMAIN}")
# Client IPs are taken from X-Forwarded-For only when the request comes from one of these.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "nextecf.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "django.contrib.postgres",  # OpClass in the search indexes (cases 0004)
    "nextecf.accounts",
    "nextecf.courts",
    "nextecf.audit",
    "nextecf.outbox",
    "nextecf.notices",
    "nextecf.alerts",
    "nextecf.billing",
    "nextecf.cases",
    "nextecf.filing",
    "nextecf.api",
]

MIDDLEWARE = [
    # First, so that every later log line of the request carries its id.
    "nextecf.lib.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files with hashed names, served before anything touches the database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "nextecf.lib.middleware.SecurityHeadersMiddleware",
    "nextecf.lib.middleware.RejectNulMiddleware",
    # ecf.<court>.<ECF_DOMAIN> -> /<court>/...; before CommonMiddleware's slash redirects.
    "nextecf.courts.middleware.EcfHostMiddleware",
    # Before anything reads the body (CSRF, sign-on, forms): an oversized one is refused.
    "nextecf.lib.middleware.RequestBodyLimitMiddleware",
    "nextecf.lib.middleware.ServedByMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "nextecf.accounts.middleware.SignOnMiddleware",
    # Origin/Referer of POSTs to the CSRF-exempt PACER endpoints (Security hardening).
    "nextecf.accounts.middleware.OriginCheckMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Sign-on is our own SignOn model behind the NextGenCSO cookie, not Django's sessions, so
# the admin's checks for the session middleware do not apply.
SILENCED_SYSTEM_CHECKS = ["admin.E410"]
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

ROOT_URLCONF = "nextecf.urls"
WSGI_APPLICATION = "nextecf.wsgi.application"

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
                "nextecf.notices.context_processors.demo_mailbox",
                "nextecf.courts.context_processors.training",
                "nextecf.accounts.context_processors.session_timer",
            ],
            # One date style on every page (nextecf/lib/dates.py): |mdy and |mdy_time.
            "builtins": ["nextecf.cases.templatetags.cmecf"],
        },
    },
]

# Options in the URL's query (?sslmode=require&connect_timeout=5) reach the driver.
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///var/{_VAR}nextecf.sqlite3"),
        BASE_DIR,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", False),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A training instance given LIVE's database would practise on, and reset, the court's record.
_LIVE_DATABASE_URL = env_secret("LIVE_DATABASE_URL", "")
if (
    TRAINING_INSTANCE
    and _LIVE_DATABASE_URL
    and same_database(DATABASES["default"], database_from_url(_LIVE_DATABASE_URL, BASE_DIR))
):
    raise ImproperlyConfigured(
        "TRAINING_INSTANCE is set and DATABASE_URL names the LIVE database "
        "(LIVE_DATABASE_URL): give the training instance its own database."
    )

AUTH_USER_MODEL = "accounts.Account"
# Login goes through accounts.services; the backend answers permission checks (admin) only.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
# Our password policy (accounts.passwords), so the admin and createsuperuser obey it too.
AUTH_PASSWORD_VALIDATORS = [{"NAME": "nextecf.accounts.passwords.PasswordPolicyValidator"}]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Older hashes imported from a court's legacy CM/ECF database verify and are upgraded.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = False
USE_TZ = True
# Django's own date rendering (bare {{ value }}, the admin) in the one style of lib/dates.py.
FORMAT_MODULE_PATH = ["nextecf.lib.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic writes and whitenoise serves from (each node has its own copy).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))

# --- Sign-on -----------------------------------------------------------------------------
# The training instance's own cookie name: under one ECF_DOMAIN (or on one host, other
# ports) LIVE's NextGenCSO cookie reaches it too, and must be neither read nor cleared.
SIGNON_COOKIE_NAME = "NextGenCSO-TRAINING" if TRAINING_INSTANCE else "NextGenCSO"
SIGNON_COOKIE_SECURE = env_bool("SIGNON_COOKIE_SECURE", not DEVELOPMENT)
# One sign-on serves every court: with ECF_DOMAIN set, the cookie covers all its hosts.
SIGNON_COOKIE_DOMAIN = f".{ECF_DOMAIN}" if ECF_DOMAIN else None
SIGNON_IDLE_SECONDS = env_int("SIGNON_IDLE_SECONDS", 30 * 60)
SIGNON_ABSOLUTE_SECONDS = env_int("SIGNON_ABSOLUTE_SECONDS", 12 * 60 * 60)
# Signed-on pages warn this long before the sign-on ends, with a way to stay signed in.
SIGNON_WARN_SECONDS = env_int("SIGNON_WARN_SECONDS", 120)
# Linking needs a sign-on this fresh; older ones are asked for the PACER password again.
LINK_REAUTH_SECONDS = env_int("LINK_REAUTH_SECONDS", 5 * 60)
LINK_CONFIRM_SECONDS = 10 * 60
# Wrong CM/ECF passwords on the link form: per court account, and per central account.
FILER_LOCKOUT_THRESHOLD = env_int("FILER_LOCKOUT_THRESHOLD", 10)
FILER_LOCKOUT_SECONDS = env_int("FILER_LOCKOUT_SECONDS", 30 * 60)
LINK_ATTEMPTS_PER_HOUR = env_int("LINK_ATTEMPTS_PER_HOUR", 10)
# Wrong PACER passwords (login, re-authentication, authentication API). After the threshold
# of consecutive failures an account locks for BASE seconds, doubling with every further
# lock up to MAX; a success resets both. The lock is always temporary (see
# accounts.services). Per client IP, failures across all usernames have a budget per window.
LOGIN_LOCKOUT_THRESHOLD = env_int("LOGIN_LOCKOUT_THRESHOLD", 10)
LOGIN_LOCKOUT_BASE_SECONDS = env_int("LOGIN_LOCKOUT_BASE_SECONDS", 30)
LOGIN_LOCKOUT_MAX_SECONDS = env_int("LOGIN_LOCKOUT_MAX_SECONDS", 60 * 60)
LOGIN_IP_FAILURES_PER_WINDOW = env_int("LOGIN_IP_FAILURES_PER_WINDOW", 30)
LOGIN_IP_WINDOW_SECONDS = env_int("LOGIN_IP_WINDOW_SECONDS", 15 * 60)
# Manage My Account: enrolling or removing MFA, new backup codes, ending sessions and an
# email change need a sign-on this fresh; older ones are asked for the password again.
ACCOUNT_REAUTH_SECONDS = env_int("ACCOUNT_REAUTH_SECONDS", 5 * 60)

# --- Secrets at rest (MFA key ring) ---
# Keys that encrypt TOTP secrets at rest (lib.secretbox) and key the backup-code hashes,
# newest first: the newest seals, every one still opens, so a key is rotated by putting a
# new one first, running `manage.py rotate_secrets`, and later dropping the old one. Keep
# them apart from SECRET_KEY and out of the database; production must set them
# (MFA_SECRET_KEYS or MFA_SECRET_KEYS_FILE; a single MFA_SECRET_KEY or MFA_SECRET_KEY_FILE
# is a ring of one).
MFA_SECRET_KEYS = env_secret_list("MFA_SECRET_KEYS") or [
    env_secret(
        "MFA_SECRET_KEY",
        hashlib.sha256(f"nextecf-mfa-dev:{SECRET_KEY}".encode()).hexdigest()
        if DEVELOPMENT
        else None,
    )
]

CSRF_COOKIE_SECURE = SIGNON_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "nextecf.accounts.views.login.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEVELOPMENT else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEVELOPMENT)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEVELOPMENT)
if TRUSTED_PROXIES:
    # Behind a TLS-terminating proxy, only its word says whether the request was HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# --- Audit chain key ---------------------------------------------------------------------
# Keys the HMACs that chain the audit log (nextecf.audit.chain). It must live outside the
# database: whoever can rewrite a row there could otherwise rewrite its seal too. New seals
# use AUDIT_CHAIN_KEY; each seal names its key, so to rotate, put the new key here and the
# old one in AUDIT_CHAIN_OLD_KEYS (comma-separated), which only verify. Dropping an old key
# makes the seals it made unverifiable.
AUDIT_CHAIN_KEY = env_secret(
    "AUDIT_CHAIN_KEY",
    hashlib.sha256(f"nextecf-audit-chain-dev:{SECRET_KEY}".encode()).hexdigest()
    if DEVELOPMENT
    else None,
)
if not DEVELOPMENT and len(AUDIT_CHAIN_KEY) < 32:
    raise ImproperlyConfigured("AUDIT_CHAIN_KEY must be at least 32 characters")
AUDIT_CHAIN_OLD_KEYS = [
    key.strip() for key in env_secret("AUDIT_CHAIN_OLD_KEYS", "").split(",") if key.strip()
]

# --- Document storage and request limits ---
# Filed PDFs and the drafts' staged uploads, stored by their SHA-256 (content-addressed):
# DOCUMENT_STORAGE=filesystem (the default) keeps them under DOCUMENT_STORAGE_DIR (staged
# uploads beside it, in <dir>-staging); DOCUMENT_STORAGE=s3 keeps them in one
# S3-compatible bucket (prefixes documents/ and staging/), which every node shares.
DOCUMENT_STORAGE = env_str("DOCUMENT_STORAGE", "filesystem")
if DOCUMENT_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured("DOCUMENT_STORAGE must be filesystem or s3")
DOCUMENT_STORAGE_DIR = Path(
    env_str("DOCUMENT_STORAGE_DIR", str(BASE_DIR / "var" / f"{_VAR}documents"))
)
S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL", "")  # empty: AWS itself
S3_BUCKET = env_str("S3_BUCKET", "")
S3_REGION = env_str("S3_REGION", "")
S3_ACCESS_KEY_ID = env_str("S3_ACCESS_KEY_ID", "")
S3_SECRET_ACCESS_KEY = env_secret("S3_SECRET_ACCESS_KEY", "") if DOCUMENT_STORAGE == "s3" else ""
S3_PREFIX = env_str("S3_PREFIX", "")  # keys under <prefix>/documents/, <prefix>/staging/
S3_ADDRESSING_STYLE = env_str("S3_ADDRESSING_STYLE", "path")  # "virtual" for AWS buckets
if DOCUMENT_STORAGE == "s3" and not S3_BUCKET:
    raise ImproperlyConfigured("DOCUMENT_STORAGE=s3 needs S3_BUCKET")
# The instance defaults for one PDF (main document or attachment); a court may set its
# own (Court.max_pdf_mb, Court.max_pdf_pages). The check of one PDF stops after
# PDF_CHECK_SECONDS of work.
MAX_PDF_BYTES = env_int("MAX_PDF_MB", 35) * 1024 * 1024
MAX_PDF_PAGES = env_int("MAX_PDF_PAGES", 5000)
PDF_CHECK_SECONDS = float(env_int("PDF_CHECK_SECONDS", 10))
# Uploads go to a temporary file on disk beyond 64 KB, never whole into memory.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# A request body larger than this is refused (413) before any of it is read; routes that
# take uploads allow the largest court PDF limit plus UPLOAD_BODY_OVERHEAD_BYTES per file.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_KB", 1024) * 1024
UPLOAD_BODY_OVERHEAD_BYTES = 1024 * 1024
# Shown as X-Served-By, so a balancer's round-robin can be seen (deploy/).
NODE_NAME = env_str("NODE_NAME", "")

# --- Mail --------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cmecf-noreply@nextecf.invalid")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = BASE_DIR / "var" / f"{_VAR}mail"
# After commit an email's first attempt is queued as a task (never sent in the request: a
# slow mail server must neither slow requests down nor let response times tell which
# accounts exist). False leaves every email to the scheduler's sweep of due mail.
EMAIL_SEND_ON_COMMIT = env_bool("EMAIL_SEND_ON_COMMIT", True)
# The demo's mailbox page shows every queued email to anyone: never in production.
DEMO_MAILBOX = env_bool("DEMO_MAILBOX", False)
# Links in emails are built from this, never from the request's Host header.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
PASSWORD_RESET_TIMEOUT = 60 * 60

# --- Application server, logs and task queue ---
if not DEVELOPMENT and not os.environ.get("DATABASE_URL"):
    # Production never falls back to a SQLite file inside the checkout.
    raise ImproperlyConfigured("DATABASE_URL must be set outside development")

# whitenoise serves what collectstatic put here (and warns at start-up if it is missing).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The load balancer's probes reach a node over plain HTTP, behind the TLS it terminates.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names, so whitenoise can tell browsers to cache them for ever.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The task queue (Huey): SQLite by default, so one machine needs no extra server; a
# redis:// URL for several nodes. The worker and scheduler is `manage.py run_huey`.
TASK_QUEUE_URL = env_str("TASK_QUEUE_URL", f"sqlite:///var/{_VAR}tasks.sqlite3")
HUEY = task_queue_from_url(
    TASK_QUEUE_URL,
    BASE_DIR,
    name=env_str("TASK_QUEUE_NAME", "nextecf-training" if TRAINING_INSTANCE else "nextecf"),
    # Tasks run in the caller, at once: for tests and one-off scripts, never production.
    immediate=env_bool("TASK_QUEUE_IMMEDIATE", False),
    workers=env_int("TASK_WORKERS", 2),
)
# An email is retried with a doubling wait (1, 2, 4 ... minutes, at most 4 hours between
# tries); the attempts cover a little over 24 hours of mail server outage before the
# email is marked failed and listed for the clerk.
EMAIL_RETRY_BASE_SECONDS = 60
EMAIL_RETRY_MAX_DELAY_SECONDS = 4 * 60 * 60
EMAIL_MAX_ATTEMPTS = 14
# Periodic jobs' ages: what counts as abandoned or orphaned.
ABANDONED_CHARGE_SECONDS = env_int("ABANDONED_CHARGE_SECONDS", 15 * 60)
# Docket alerts' webhooks (nextecf/alerts/services.py): the wait for an answer, the first
# retry's wait (doubling after each failure), attempts per delivery, and failed attempts in
# a row after which a webhook is turned off.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 60)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 24)
# Webhook URLs whose host resolves to a loopback, private or link-local address are
# refused (the server must not be aimed at its own network); a development instance
# allows them so a receiver on this machine can be tried.
WEBHOOK_PRIVATE_ADDRESSES_ALLOWED = env_bool("WEBHOOK_PRIVATE_ADDRESSES_ALLOWED", DEVELOPMENT)
ORPHAN_FILE_SECONDS = env_int("ORPHAN_FILE_SECONDS", 60 * 60)

# One JSON object per line, each with the request id of the request it belongs to.
# --- Search limits ---
# PostgreSQL cancels a search after this long (SET LOCAL statement_timeout), so that a
# broad search gives "narrow your search" instead of holding a worker.
SEARCH_TIMEOUT_MS = env_int("SEARCH_TIMEOUT_MS", 3000)
# A minimal public page for `make bench` to measure the server's own cost per request.
BENCH_VIEWS = env_bool("BENCH_VIEWS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "nextecf.lib.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "timestamp": "time",  # ISO 8601, UTC
            "rename_fields": {"levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # A handler of its own, so that run_huey does not add its plain-text one.
    "loggers": {
        "huey": {
            "handlers": ["console"],
            "level": env_str("TASK_LOG_LEVEL", "INFO"),
            "propagate": False,
        }
    },
}

# --- NEF magic numbers ---
# A free-look magic number has CM/ECF's 8 digits, so guessing is bounded by failure
# budgets: per document (all addresses together) and per client address.
FREE_LOOK_GUESSES_PER_DOCUMENT = env_int("FREE_LOOK_GUESSES_PER_DOCUMENT", 20)
FREE_LOOK_DOCUMENT_WINDOW_SECONDS = env_int("FREE_LOOK_DOCUMENT_WINDOW_SECONDS", 24 * 60 * 60)
FREE_LOOK_GUESSES_PER_IP = env_int("FREE_LOOK_GUESSES_PER_IP", 30)
FREE_LOOK_IP_WINDOW_SECONDS = env_int("FREE_LOOK_IP_WINDOW_SECONDS", 60 * 60)

# --- PCL token rotation ---
# An API token in use this long is replaced by a fresh one in the X-NEXT-GEN-CSO response
# header of the next PCL answer, as PCL does; the new token keeps the sign-on's limits.
SIGNON_TOKEN_ROTATE_SECONDS = env_int("SIGNON_TOKEN_ROTATE_SECONDS", 60 * 60)

# --- Security hardening ---
# Past an address's budget of failed logins (LOGIN_IP_FAILURES_PER_WINDOW) a right password
# still signs on; each further failure is answered this much later (accounts.services).
LOGIN_IP_THROTTLE_DELAY_MS = env_int("LOGIN_IP_THROTTLE_DELAY_MS", 1000)
# Every audit_seal appends a signed checkpoint of the chain head here (a directory; the
# file is checkpoints.jsonl) and to the log. Keep it off the database host, or ship it
# elsewhere: audit_verify reports a chain that ends before its newest checkpoint.
AUDIT_CHECKPOINT_PATH = env_str(
    "AUDIT_CHECKPOINT_PATH", str(BASE_DIR / "var" / f"{_VAR}audit-checkpoints")
)
# PostgreSQL: the application connects (DATABASE_URL) as a role that owns nothing; the
# migrations run as the owner, DATABASE_MIGRATE_URL, which `manage.py migrate` uses when it
# is set, and then grant DATABASE_APP_ROLE its privileges (the audit log: SELECT and INSERT
# only). See deploy/postgresql/roles.sql. Unset (SQLite, `make run`): nothing changes.
DATABASE_MIGRATE_URL = env_secret("DATABASE_MIGRATE_URL", "")
DATABASE_APP_ROLE = env_str("DATABASE_APP_ROLE", "")
# On a training database (fictitious data, shared with a class) the demo mailbox may run
# outside a local development instance (notices.apps.demo_mailbox_problem).
# The LIVE instance links each court that has a training database to it at this address;
# the training instance may be given LIVE's database address (LIVE_DATABASE_URL), on which
# it refuses to start (above, beside DATABASES), and resets itself to the demo nightly at
# TRAINING_RESET_HOUR (court time).
TRAINING_SITE_URL = env_str("TRAINING_SITE_URL", "").rstrip("/")
TRAINING_RESET_HOUR = env_int("TRAINING_RESET_HOUR", 2)
