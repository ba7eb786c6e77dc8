"""Settings for the load benchmark: production settings plus one extra URL, the baseline page."""

from reports.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
