"""Settings for Huigao, read from the environment.

DEBUG is off unless the environment turns it on (`make run` does, for development), so a
forgotten variable never shows a traceback. Development needs only DEBUG=1 (SQLite in the
project folder, e-mail on the console). Production sets SECRET_KEY, ALLOWED_HOSTS,
DATABASE_URL (PostgreSQL) and EMAIL_HOST or EMAIL_BACKEND; README.md lists the rest.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used on a developer's machine: production refuses to start without one.
    SECRET_KEY = "django-insecure-huigao-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "reports.operations.HuigaoAdminConfig",  # the admin, with the operator's page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "reversion",
    "reports",
    "drafting",
    # After reports: its db_worker (the worker plus Huigao's schedule) overrides this app's.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reports.language.ChineseUnlessChosenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "reports.urls"

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
                "django.template.context_processors.csp",
                "drafting.context_processors.unread_notifications",
            ],
        },
    },
    # Only for templates a benchmark shows need it: rows repeated hundreds of times a page (README, Development).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "reports.jinja2.environment", "autoescape": True},
    },
]

WSGI_APPLICATION = "reports.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people save at once: wait for the write lock rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_PREPARED_STATEMENTS", default=True
):
    # Server-side binding lets psycopg prepare a query the fifth time a connection runs it, so
    # PostgreSQL stops planning the same few queries on every page (a third of the editor's
    # database time). Turn it off behind a pooler in transaction mode (PgBouncer < 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "drafting:dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic puts the files whitenoise (or nginx) serves.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Intranet pages carry unreleased text: no inline script or style, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The language chosen in the user menu is kept for a year, not only for the browser session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Without DEBUG, HTTPS is assumed: plain HTTP is redirected and browsers are told (HSTS) to
# use nothing else for a year. A site served over plain HTTP turns both off explicitly.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Load balancers probe the app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# E-mail: SMTP when a host is configured, or the backend named in EMAIL_BACKEND (the console
# while developing). Production must choose one or the other: mail silently printed to a
# console nobody reads would look like mail sent.
SILENCED_SYSTEM_CHECKS = []
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                # A hung mail server holds one worker for this long, never a request.
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
elif os.environ.get("EMAIL_BACKEND"):
    MAILERS = {"default": {"BACKEND": os.environ["EMAIL_BACKEND"]}}
    # The operator chose a backend that sends nothing (e.g. the dummy one): not an oversight.
    SILENCED_SYSTEM_CHECKS += ["mail.E001"]
elif DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    raise ImproperlyConfigured(
        "Set EMAIL_HOST (the SMTP server) or EMAIL_BACKEND "
        "(e.g. django.core.mail.backends.dummy.EmailBackend to send no e-mail) when DEBUG is off."
    )
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "huigao@localhost")
# Links in e-mails need the site's address: e-mails are sent by the worker, outside a request.
HUIGAO_BASE_URL = os.environ.get("HUIGAO_BASE_URL", "http://127.0.0.1:8000")

# Upload limits (bytes): the importer refuses larger files with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Font names written into exported DOCX files. Older templates use the _GB2312 names;
# Windows 7 and later ship 仿宋 and 楷体; 方正小标宋简体 is often missing (宋体 then).
HUIGAO_FONTS = {
    "title": os.environ.get("HUIGAO_FONT_TITLE", "方正小标宋简体"),
    "body": os.environ.get("HUIGAO_FONT_BODY", "仿宋_GB2312"),
    "heading1": os.environ.get("HUIGAO_FONT_HEADING1", "黑体"),
    "heading2": os.environ.get("HUIGAO_FONT_HEADING2", "楷体_GB2312"),
    "latin": os.environ.get("HUIGAO_FONT_LATIN", "Times New Roman"),
    "page_number": os.environ.get("HUIGAO_FONT_PAGE_NUMBER", "宋体"),
}

# --- Login protection ------------------------------------------------------------------------
# Axes under a Chinese name in the admin (its own app config has none).
INSTALLED_APPS += ["reports.apps.LoginProtectionConfig"]
# Axes must see every request after authentication to turn a lockout into its response.
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one account from one address lock that pair (not the whole
# office behind one NAT address) for an hour; an administrator can unlock earlier in the admin.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = datetime.timedelta(hours=1)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "reports.login_protection.axes_username"
AXES_CLIENT_IP_CALLABLE = "reports.login_protection.client_address"
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
if not SECURE_HSTS_PRELOAD:
    # Intranet host names cannot be on the browsers' public HSTS preload list.
    SILENCED_SYSTEM_CHECKS += ["security.W021"]

AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # lockouts hold on every app server

# --- Several app servers on one database ----------------------------------------------------
# Nothing another app server would need lives in this process or on its disk: sessions, login
# lockouts, tasks and the cache are rows in the shared database; uploads are parsed within
# their request (the parsed report waits in the session).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "huigao_cache"}}

# Background tasks (e-mail, reminders) through django.tasks, stored in the database: no broker
# to run on an intranet. `python manage.py db_worker` runs them. TASKS_IMMEDIATE=1 runs each
# task inside the request that enqueued it instead (one process, no worker: development only).
if env_bool("TASKS_IMMEDIATE"):
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failed e-mail is tried again after each of these delays (seconds), then shown as failed.
HUIGAO_MAIL_RETRY_DELAYS = [60, 300, 1800, 7200]
# The worker proves it is alive by running a heartbeat task this often; /health/ reports it
# dead once none has finished for HUIGAO_WORKER_TIMEOUT seconds.
HUIGAO_HEARTBEAT_SECONDS = int(os.environ.get("HUIGAO_HEARTBEAT_SECONDS", "30"))
HUIGAO_WORKER_TIMEOUT = int(os.environ.get("HUIGAO_WORKER_TIMEOUT", "300"))
# The worker sends the daily reminders (催办) at this local time; empty turns it off (for a
# cron job running `send_reminders` instead). HUIGAO_REMINDER_DAYS: deadlines this close.
HUIGAO_REMINDER_TIME = os.environ.get("HUIGAO_REMINDER_TIME", "08:30")
HUIGAO_REMINDER_DAYS = int(os.environ.get("HUIGAO_REMINDER_DAYS", "3"))
# Exports. The worker builds every PDF (LibreOffice takes seconds) and every DOCX of a report
# with at least HUIGAO_EXPORT_BACKGROUND_ITEMS sections and measures together: a size whose
# final export (the gate's check and the DOCX) stays well under a second even on a loaded
# server, so no export that could take a second runs inside a request (bench/export.py prints
# the times by size; the README says how the number was chosen). The file waits in the
# database, for any app server to hand out, for HUIGAO_EXPORT_KEEP_HOURS; a build that fails
# is tried again after each of HUIGAO_EXPORT_RETRY_DELAYS (seconds).
HUIGAO_EXPORT_BACKGROUND_ITEMS = int(os.environ.get("HUIGAO_EXPORT_BACKGROUND_ITEMS", "2000"))
HUIGAO_EXPORT_KEEP_HOURS = int(os.environ.get("HUIGAO_EXPORT_KEEP_HOURS", "24"))
HUIGAO_EXPORT_RETRY_DELAYS = [10, 60]
# LibreOffice's soffice: a name looked up on PATH or a full path; empty turns the PDF off.
HUIGAO_SOFFICE = os.environ.get("HUIGAO_SOFFICE", "soffice")
HUIGAO_PDF_TIMEOUT = int(os.environ.get("HUIGAO_PDF_TIMEOUT", "180"))
# Finished tasks are deleted after this many days (failed ones too, so keep it long enough
# for an administrator to look).
HUIGAO_TASK_RETENTION_DAYS = int(os.environ.get("HUIGAO_TASK_RETENTION_DAYS", "30"))

# The audit log (transitions, imports, exports, logins: one JSON object a line) goes to
# standard error, where journald or the log collector reads it, or to the file named in
# HUIGAO_AUDIT_LOG (reopened when logrotate moves it). Never to standard output, which
# belongs to the commands' own output.
AUDIT_LOG_FILE = os.environ.get("HUIGAO_AUDIT_LOG", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "reports.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "audit": (
            {"class": "logging.handlers.WatchedFileHandler", "formatter": "json", "filename": AUDIT_LOG_FILE}
            if AUDIT_LOG_FILE
            else {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
        ),
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "huigao": {"handlers": ["audit"], "level": "INFO", "propagate": False},
    },
}

# Import (reports/importer.py). Files above these sizes are refused with a message; a DOCX
# is a zip, so its members' unpacked size and compression ratio are capped too (zip bombs).
HUIGAO_IMPORT_MAX_BYTES = int(os.environ.get("HUIGAO_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
HUIGAO_IMPORT_MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
HUIGAO_IMPORT_MAX_ZIP_RATIO = 200
HUIGAO_IMPORT_MAX_CHARS = 500_000
# Noise removed on import, one regex a pattern, applied to each paragraph in turn; what a
# pattern matches is listed for the user. A paragraph left empty is dropped.
HUIGAO_NOISE_PATTERNS = [
    # Paywall markers of document-sharing sites.
    r"#{2}\s*paid\s*(?:begin|end)\s*#{2}",
    # Advertising brackets: 【更多范文，请关注公众号：…】, 【…微信：…】.
    r"【[^【】\n]{0,80}?(?:公众号|微信|关注|扫码|二维码|QQ群|范文)[^【】\n]{0,80}?】",
    # Advertising lines: 更多精品公文范文，尽在×××写作网; 本文来源于…网 / 下载自….
    r"^[^。\n]{0,40}(?:尽在|请访问|欢迎访问|请关注|下载自|来源于|转载自)[^。\n]{0,30}"
    r"(?:网|网站|平台|公众号|文库|APP|\.com|\.cn)[。.！!]?$",
    # Article prefixes of collections: 第一篇：…, 【正文】.
    r"^第[一二三四五六七八九十百\d]{1,4}篇\s*[：:]\s*",
    r"【正文】|^正文\s*[：:]",
]
# Whole lines of web pages that are not the report, each named for the import preview (which
# says why a line went, and lets the user keep it). Searched in each line, in this order.
HUIGAO_DEBRIS_RULES = [
    ("breadcrumb", r"^(?:当前位置|您所在的位置|您的位置|所在位置|当前页面)\s*[：:]"),
    ("breadcrumb", r"^首页\s*$|^首页\s*(?:[>»＞→/|]|->|&gt;)|^\s*(?:->|>>|»|＞)\s*\S"),
    ("dateline", r"^今天是\s*[：:]?.{0,40}(?:星期|周[一二三四五六日天]|农历)"),
    (
        "page_info",
        r"(?:发布时间|发布日期|发文日期|更新时间|阅读次数|浏览次数|点击次数|访问次数|浏览量|字号)\s*[：:]"
        r".{0,80}(?:来源|发布时间|发布日期|更新时间|阅读次数|浏览次数|点击|字号|作者|编辑)",
    ),
    (
        "page_info",
        r"(?:来源|稿源|信息来源|作者|编辑|责任编辑)\s*[：:].{0,40}(?:发布时间|发布日期|更新时间|阅读|浏览|字号)",
    ),
    ("page_info", r"^字号\s*[：:]?\s*[大中小\s]+$|【\s*字号|【\s*大\s*中\s*小\s*】"),
    ("source_url", r"^(?:来源|出处|原文链接|本文链接|原文地址|网址|链接)\s*[：:]\s*(?:https?://|www\.)"),
    (
        "timestamp",
        r"^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:手机版|电脑版|打印|收藏|关闭)?\s*$",
    ),
    ("timestamp", r"^.{0,30}(?:手机版|电脑版)\s*$"),
    ("related", r"^.{0,30}(?:相关文章|相关阅读|相关推荐|猜你喜欢|热门文章|推荐阅读|延伸阅读|上一篇|下一篇)\s*[：:]?"),
    ("share", r"^.{0,30}(?:扫码分享|分享到|扫一扫|微信扫码|收藏本文|打印本页|关闭窗口|【打印】|【关闭】|【收藏】)"),
    ("site_blurb", r"(?:整理了|精心整理|为大家整理|为您整理|小编).{0,80}(?:供大家参考|供您参考|仅供参考|希望对)"),
    (
        "site_views",
        r"^.{0,30}(?:网|站|文库|频道|平台)\s*.{0,20}?(?:\d+\s*(?:次阅读|人阅读|次浏览|人浏览|次下载)|(?:阅读|浏览)\s*[：:]?\s*\d+)",
    ),
    # A line that carries a paywall marker and a site's slogan is advertising as a whole.
    (
        "advertising",
        r"^(?=.{0,100}$)(?=.*#{2}\s*paid\s*(?:begin|end)\s*#{2})"
        r".*(?:范文|写作网|文库|公众号|版权所有|整理|下载|VIP|会员|尽在|www\.|\.com|\.cn)",
    ),
]
