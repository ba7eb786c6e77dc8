"""Settings for the benchmarks: production settings plus the bench's URLs (the baseline page and
the peers of bench/pages.py) and its templates."""

from reports.settings import *  # noqa: F403
from reports.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
