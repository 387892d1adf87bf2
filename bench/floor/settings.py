"""The product's settings, with the floor's URL and template added (bench/throughput.py)."""

from pathlib import Path

from marketplace.settings import *  # noqa: F403
from marketplace.settings import TEMPLATES

ROOT_URLCONF = "bench.floor.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
