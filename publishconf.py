"""Production settings: `make publish`. Only what differs from pelicanconf.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://www.commonledger.example")
RELATIVE_URLS = False
NEWSROOM_PREVIEW = False
