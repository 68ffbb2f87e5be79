"""Production settings: `make publish`. Only what differs from pelicanconf.py."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "https://www.commonledger.example")
RELATIVE_URLS = False
NEWSROOM_PREVIEW = False
# .gz and .br copies beside every text file, for servers that send them (nginx gzip_static/brotli_static).
# NEWSROOM_ASSETS_PRECOMPRESS=0 in the environment leaves them out: GitHub Pages and S3 cannot use them
# (`make deploy-ghpages` and the CI workflow set it).
NEWSROOM_ASSETS_PRECOMPRESS = os.environ.get("NEWSROOM_ASSETS_PRECOMPRESS", "1").strip().lower() not in ("0", "false", "no", "off")
# The editor at /admin/ commits through the production backend (NEWSROOM_EDITOR_BACKEND), never a local one.
NEWSROOM_EDITOR_LOCAL_BACKEND = None
