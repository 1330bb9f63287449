"""Shared settings. Every deployment-specific value comes from an environment variable."""

import datetime
import os
from pathlib import Path

import dj_database_url

from django.utils.translation import gettext_lazy as _

from cms.observability import init_sentry, logging_config, parse_admins

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first so their templates and translations win.
    "accounts",
    "org",
    "audit",
    "cms",
    "catalog_pages",
    "scoring",
    "importers",
    "api",
    "worklog",
    "ratings",
    "org_scoring",
    "oversight",
    "support",
    "dashboards",
    "connectors",
    "feedback",
    "workplans",
    "demo",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # API and data exchange
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    # Background tasks: the database queue (used in production; see TASKS below)
    "django_tasks_db",
    # Sign-in lockout after repeated wrong passwords
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
    # Change history of score inputs (historical tables in the audit app)
    "simple_history",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.IgnoreBrowserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The second factor (django-otp), then the account gate: a password set by someone else is
    # changed, and a second factor presented where it is asked, before the admin answers.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.AccountGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who made a change, for the change history of score inputs (audit.history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: answers a locked-out sign-in with cms/lockout.html.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user:pass@host:port/name in production); SQLite by default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL's JIT compiles a query whose estimated cost is high; the admin's scoped lists at
# 100,000 people spent 110 ms of 180 compiling a 70 ms query (docs/operations.md §10). Short
# web queries never gain from it. ``KPI_DB_JIT=on`` gives the server's own setting back.
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("KPI_DB_JIT", "off") != "on"
):
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
# Prepared statements for the small reads the scoring chain repeats (``cms.statements``: parsed
# and planned once per connection). Django turns psycopg's preparing off (``None``: a pooler in
# transaction mode cannot keep them; this application connects to PostgreSQL directly); a
# threshold no statement reaches keeps every other statement as Django sends it: only a kept
# statement asks to be prepared. ``KPI_DB_PREPARED=off`` turns it off (behind such a pooler).
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("KPI_DB_PREPARED", "on") != "off"
):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2**31 - 1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, plus the rights that follow postings (accounts.backends).
    "accounts.backends.PostingRolesBackend",
]

# Brute-force protection on every sign-in form (django-axes): after KPI_LOGIN_FAILURE_LIMIT wrong
# passwords for one account from one address, that pair is locked for KPI_LOGIN_COOLOFF_MINUTES;
# a correct sign-in resets the count. Locking the pair (not the account alone) keeps an attacker
# from locking a colleague out; Sở Nội vụ unlocks early with `manage.py axes_reset_username`.
AXES_FAILURE_LIMIT = int(os.environ.get("KPI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(os.environ.get("KPI_LOGIN_COOLOFF_MINUTES", "15"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cms.views.sign_in_locked"
AXES_CLIENT_IP_CALLABLE = "cms.client_ip.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

# Sign-ins from the personnel records (accounts.services; docs/operations.md "Tài khoản").
# The username given to a person: "official_id" (the official ID, lower-case) or "email".
KPI_ACCOUNT_USERNAME_RULE = os.environ.get("KPI_ACCOUNT_USERNAME_RULE", "official_id")
# The personnel import gives sign-ins to the people of the file who have none (importers.conf).
KPI_IMPORT_CREATES_SIGN_INS = env_bool("KPI_IMPORT_CREATES_SIGN_INS", False)
# Days an activation code (printed slip, e-mail invitation) stays valid.
KPI_ACTIVATION_CODE_DAYS = int(os.environ.get("KPI_ACTIVATION_CODE_DAYS", "30"))
# Second factor (TOTP, django-otp), asked on every surface (accounts.auth_policy; docs/security.md
# "Ai chứng minh gì, ở đâu"). KPI_2FA_ROLES: the roles that must present it, comma-separated
# keys of accounts.auth_policy.ROLES; by default whoever administers, appraises, decides or
# evaluates.
KPI_2FA_REQUIRED = env_bool("KPI_2FA_REQUIRED", True)
KPI_2FA_ROLES = tuple(
    key.strip()
    for key in os.environ.get(
        "KPI_2FA_ROLES",
        "superuser,home_affairs,province_office,agency_admin,bloc_appraiser,unit_leader,head,"
        "deputy",
    ).split(",")
    if key.strip()
)
OTP_TOTP_ISSUER = os.environ.get("KPI_OTP_ISSUER", "KPI Cong vu")

# Single sign-on with the province's OpenID Connect provider (mozilla-django-oidc), on when a
# client id is set. Endpoints from the provider's /.well-known/openid-configuration.
OIDC_RP_CLIENT_ID = os.environ.get("KPI_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("KPI_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("KPI_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("KPI_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("KPI_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("KPI_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("KPI_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("KPI_OIDC_SCOPES", "openid email profile")
OIDC_CREATE_USER = False
OIDC_STORE_ID_TOKEN = False
LOGIN_REDIRECT_URL = "/admin/"
LOGIN_REDIRECT_URL_FAILURE = "/tai-khoan/dang-nhap-mot-lan/tu-choi/"
# The claim that names the person, and the personnel field it is compared with.
KPI_OIDC_MATCH_CLAIM = os.environ.get("KPI_OIDC_MATCH_CLAIM", "preferred_username")
KPI_OIDC_MATCH_FIELD = os.environ.get("KPI_OIDC_MATCH_FIELD", "official_id")
KPI_OIDC_ISSUER = os.environ.get("KPI_OIDC_ISSUER", "")
KPI_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if KPI_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.OIDCBackend")

# Vietnamese first; English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# One province, one time zone: every date and deadline in the admin is Vietnam's. Wagtail then
# drops the time-zone chooser from the account page (its ~600 options were rendered on every
# visit, ~20 ms of CPU); a zone some profile stored earlier is still honoured by Wagtail.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
# Dates day first and the decimal comma in every form and both languages (cms/formats/).
FORMAT_MODULE_PATH = ["cms.formats"]
USE_THOUSAND_SEPARATOR = False
USE_I18N = True
USE_TZ = True
# Wagtail does not list Vietnamese among its provided admin languages (its catalogue is partial),
# so permit it explicitly; locale/vi/ supplies the admin strings Wagtail lacks
# (`python scripts/wagtail_vi_missing.py --todo` lists what a Wagtail upgrade adds).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]

STATIC_URL = "/static/"
# Outside the checkout in production (docs/operations.md step 2): nginx's workers (www-data)
# read it, while the checkout itself is readable by the service user only.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Every upload — work evidence, rating minutes, complaint attachments, imported workbooks,
# Wagtail's original files — is private: stored here with no URL of its own (the reverse proxy
# answers 404 under /media/); a file leaves only through the view that checked who asks
# (cms.private_files.serve_private). Default: the media folder itself, so an upgrade keeps every
# file where it was and the backup scripts (DJANGO_MEDIA_ROOT) cover it.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("KPI_PRIVATE_MEDIA_ROOT", MEDIA_ROOT))
STORAGES = {
    # The default storage IS the private one: an upload field is private unless it says otherwise.
    "default": {"BACKEND": "cms.private_files.PrivateFileStorage"},
    # MEDIA_ROOT at MEDIA_URL, for public files only: Wagtail's image renditions under
    # "images/" (WAGTAILIMAGES_RENDITION_STORAGE below).
    "public": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Largest evidence file, meeting minutes or complaint attachment accepted (bytes; Excel imports
# have their own KPI_IMPORT_MAX_BYTES).
KPI_UPLOAD_MAX_BYTES = int(os.environ.get("KPI_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))

# Wagtail
WAGTAIL_SITE_NAME = "KPI Công vụ"
# Rich text: Wagtail's Draftail with its editing area named by the field's label (cms.widgets).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "cms.widgets.LabelledDraftailRichTextArea"},
}
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx", "zip", "jpg", "png"]
# Renditions are what public pages show: public media. Original images stay private (default).
WAGTAILIMAGES_RENDITION_STORAGE = "public"
WAGTAIL_I18N_ENABLED = False
# An approved catalog is published by its bloc's appraiser, who holds no page permission
# (catalog_pages.workflows, org.blocs).
WAGTAIL_FINISH_WORKFLOW_ACTION = "catalog_pages.workflows.publish_approved"
# No calls to outside services from the admin: no check for new Wagtail releases (the servers of
# a province need not reach the internet) and no Gravatar pictures (they would send a hash of
# every user's e-mail address to a third party).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The home page's "What's new in Wagtail" banner links to the English editor guide; the Help menu
# leads to our own guide (docs/huong-dan/, cms.guide) instead.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Wagtail's sign-in form with its password field labelled in the user's language.
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.LoginForm"
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# Background tasks (django-tasks, shipped with Wagtail). In-process by default so that a single
# `make run` works; production (cms.settings.production) queues them in the database
# (django-tasks-db) for a worker: `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

REST_FRAMEWORK = {
    # A browser session counts only once it has finished signing in (accounts.auth_policy).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.SafeJSONParser"],
    # Behind the documented reverse proxy (deploy/nginx/kpi.conf) set DJANGO_NUM_PROXIES=1: the
    # client address is then the one the proxy wrote, never a forged X-Forwarded-For.
    "NUM_PROXIES": int(os.environ.get("DJANGO_NUM_PROXIES", "0")),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # One error body for the whole API: {"error": {"code", "message", "fields"}} (docs/api.md).
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    # Used by the views that opt in (api.throttling): per IP address / per signed-in user.
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DJANGO_API_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("DJANGO_API_THROTTLE_USER", "600/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KPI Công vụ API",
    "DESCRIPTION": _(
        "API của KPI Công vụ: đánh giá, xếp loại chất lượng công chức theo Nghị định "
        '335/2025/NĐ-CP. Lỗi luôn có dạng {"error": {"code", "message", "fields"}}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["api.schema.only_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_component_descriptions",
        "api.schema.add_transport_errors",
    ],
    "ENUM_NAME_OVERRIDES": {"LeaderLevelEnum": "api.serializers.preview.leader_level_choices"},
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "kpi-congvu@localhost")
# The SMTP relay (docs/operations.md §2): a local postfix/nullmailer by default, or the
# province's server directly. A relay that accepts the connection and then stalls must not
# hold a request: after EMAIL_TIMEOUT seconds the notice is kept and sent again by the worker
# (cms/mail.py).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))

SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL") or DEFAULT_FROM_EMAIL

# Operators hear about failures (cms/observability.py, docs/operations.md "Errors, logs and
# health"): ERROR records mailed to DJANGO_ADMINS, JSON log lines with KPI_LOG_FORMAT=json,
# errors sent to a Sentry-compatible server (GlitchTip, Sentry) when SENTRY_DSN is set.
ADMINS = parse_admins(os.environ.get("DJANGO_ADMINS", ""))
LOGGING = logging_config(
    os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    json_lines=os.environ.get("KPI_LOG_FORMAT", "text").strip().lower() == "json",
    mail_admins=bool(ADMINS),
)
SENTRY_ENABLED = init_sentry()
# The fictional demo province (manage.py load_demo) creates sign-ins with a published password:
# allowed in development and tests only, unless `load_demo --allow-production` is given.
KPI_DEMO_ALLOWED = False
KPI_IMPORT_MAX_BYTES = int(os.environ.get("KPI_IMPORT_MAX_BYTES", 20 * 1024 * 1024))  # importers
# Issue 47: a download of more rows than this is built by a background job (cms.exports): the
# person lands on a page that shows its progress and offers the file when it is ready.
KPI_EXPORT_INLINE_ROWS = int(os.environ.get("KPI_EXPORT_INLINE_ROWS", "300"))
# An importer's template of more rows than this is built the same way (issue 48: the Form 01
# marks of a very large agency outlasted the web server's timeout); below it, at once (about
# three seconds for 40,000 rows with XlsxWriter: a template is built many times faster a row
# than a listing; an env file copied before session 40 still says 20000).
KPI_TEMPLATE_INLINE_ROWS = int(os.environ.get("KPI_TEMPLATE_INLINE_ROWS", "40000"))
# The finished files of background exports are deleted this many days after they were built.
KPI_EXPORT_KEEP_DAYS = int(os.environ.get("KPI_EXPORT_KEEP_DAYS", "7"))
# The leaders' window (scoring.services.rescoring.leaders_window, docs/operations.md §10).
KPI_LEADERS_WINDOW_SECONDS = int(os.environ.get("KPI_LEADERS_WINDOW_SECONDS", "60"))
KPI_LEADERS_WINDOW_FROM = int(os.environ.get("KPI_LEADERS_WINDOW_FROM", "2000"))
# How long after a change the annual refresh may still wait for the scoring runs and imports
# queued behind it (scoring.services.freshness.waits_for_upstream); 0: it never waits.
KPI_REFRESH_WAIT_SECONDS = int(os.environ.get("KPI_REFRESH_WAIT_SECONDS", "300"))

# The national civil-servant database transport (api/conf.py, docs/national-export.md §6):
# only the variables that are set override the defaults of api.conf.
for _name in (
    "KPI_NATIONAL_DB_TRANSPORT",
    "KPI_NATIONAL_DB_URL",
    "KPI_NATIONAL_DB_TOKEN",
    "KPI_NATIONAL_DB_CLIENT_CERT",
    "KPI_NATIONAL_DB_CLIENT_KEY",
    "KPI_NATIONAL_DB_CA_FILE",
    "KPI_NATIONAL_DB_DROP_DIR",
):
    if os.environ.get(_name):
        globals()[_name] = os.environ[_name]
if os.environ.get("KPI_NATIONAL_DB_SCHEDULE"):
    KPI_NATIONAL_DB_SCHEDULE = os.environ["KPI_NATIONAL_DB_SCHEDULE"].lower() in ("1", "true", "on")
