"""Settings for bench/pages.py: the project's own, plus one bare view to compare against."""

from gongkai.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
