"""Settings for The Common Ledger: the site as editors preview it (`make html`, `make serve`).

publishconf.py imports this and overrides only what production needs.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Pelican imports PELICAN_CLASS before it loads plugins from PLUGIN_PATHS, so make them importable now.
if os.path.join(HERE, "plugins") not in sys.path:
    sys.path.insert(0, os.path.join(HERE, "plugins"))

SITENAME = "The Common Ledger"
SITESUBTITLE = "The reader-owned daily"
SITEURL = ""
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
OUTPUT_PATH = "output"
THEME = "theme"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["newsroom_content", "newsroom_theme"]
# Validates the content first, and writes the site into a staging folder that replaces output/ only
# when the build succeeded.
PELICAN_CLASS = "newsroom_content.NewsroomPelican"

# Sent as a <meta> on every page (and as a header by the example server configs in content/extra/): no inline
# scripts, nothing loaded from other sites. Pagefind's search runs WebAssembly, hence 'wasm-unsafe-eval';
# frame-src lists the hosts whose embeds the sanitiser keeps (NEWSROOM_SANITISE_EMBED_HOSTS).
NEWSROOM_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; "
    "frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://www.openstreetmap.org; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
NEWSROOM_REFERRER_POLICY = "strict-origin-when-cross-origin"

# --- The paper's desks and sections, in display order. Editors write the section name in Category. ---
NEWSROOM_DESKS = [
    {"name": "World", "sections": ["Middle East", "Europe", "Americas", "Africa", "Asia"]},
    {"name": "Britain", "sections": ["Politics", "Workplace", "Housing", "Environment"]},
    # An opinion desk: its own block on the front page, set like a comment page (the writers' names lead).
    {"name": "Comment", "kind": "opinion", "sections": ["Editorial", "Opinion"]},
    {"name": "Culture", "sections": ["Books", "Film", "Music"]},
    # The desk needs its own slug: a desk and a section cannot share the URL /sport/.
    {"name": "Sport", "slug": "sport-desk", "sections": ["Sport"]},
]
NEWSROOM_DEFAULT_AUTHOR = "Staff reporter"
NEWSROOM_DATA_PATH = "data"
NEWSROOM_LOCALE = "en_GB"
NEWSROOM_PREVIEW = False  # `make serve` turns this on: drafts and scheduled articles are shown, marked

# --- Reading ---
READERS = {"html": None, "htm": None, "rst": None}  # Markdown only: one format to validate and support
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.smarty": {},  # curly quotes, dashes and ellipses
        "markdown.extensions.toc": {},  # ids on headings, so links such as /support-us/#donate land
        # Story pictures: images/x.jpg, /images/x.jpg and {static}/images/x.jpg all reach the picture, and
        # a picture alone in its paragraph becomes a figure captioned by its title (plugins/newsroom_markdown/figures.py).
        "newsroom_markdown.figures": {"picture_folders": ["images"]},
    },
    "output_format": "html5",
}
# Escape every value templates print unless it is marked |safe (only the sanitised story HTML and the
# pre-escaped JSON-LD are): a headline, name or tag containing < or & is shown as text, never run as markup.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True}
# Every article names its Date and Category (make check requires both), so Pelican need not also parse a
# date from each file name and a category from each folder on every build.
FILENAME_METADATA = ""
USE_FOLDER_AS_CATEGORY = False
ARTICLE_TRANSLATION_ID = None  # an Arabic article is an article in its own right, not a translation
PAGE_TRANSLATION_ID = None
SUMMARY_MAX_PARAGRAPHS = 1
SUMMARY_MAX_LENGTH = None
DEFAULT_DATE_FORMAT = "%-d %B %Y"
# Pelican's content cache: a rebuild reads only the source files that changed. newsroom_content keeps it
# in a folder under CACHE_PATH named after the settings and plugin code, so a changed setting starts afresh.
CACHE_PATH = "cache"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
# Not mtime: git checkouts and copies can keep an old mtime. newsroom_content goes further and stamps each
# file by size, inode, mtime and ctime (no tool can set a ctime back), which needs no read of the file.
CHECK_MODIFIED_METHOD = "sha1"
GZIP_CACHE = False  # gzip at level 9 costs more than it saves on a local disk

# --- URLs: every page is a folder with an index.html ---
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
DRAFT_LANG_URL = DRAFT_URL
DRAFT_LANG_SAVE_AS = DRAFT_SAVE_AS
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = PAGE_URL
PAGE_LANG_SAVE_AS = PAGE_SAVE_AS
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/pages/{slug}/index.html"
DRAFT_PAGE_LANG_URL = DRAFT_PAGE_URL
DRAFT_PAGE_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
ARCHIVES_SAVE_AS = "archive/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_URL = "archive/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "archive/{date:%Y}/{date:%m}/index.html"
DAY_ARCHIVE_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "archives", "search", "404"]
SEARCH_SAVE_AS = "search/index.html"
SEARCH_URL = "search/"
ARCHIVES_URL = "archive/"
# "404" is written to 404.html (Pelican's default for direct templates): where servers look for it.

# Page 2 of a listing lives under /page/2/, so it can never collide with an article or section slug.
DEFAULT_PAGINATION = 20
# A month of a daily paper runs to hundreds of stories: its archive page is paginated like the others.
PAGINATED_TEMPLATES = {"category": None, "tag": None, "author": None, "desk": None, "period_archives": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Pelican's own feeds are off: the newsroom feed plugin replaces them.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None

DELETE_OUTPUT_DIRECTORY = False  # the build always writes into a fresh staging folder
BIND = "127.0.0.1"
PORT = 8000

# --- Feeds: newsroom_feeds (plugins/newsroom_feeds/README.md) replaces Pelican's feeds above. ---
PLUGINS += ["newsroom_feeds"]
NEWSROOM_FEEDS_MAX_ITEMS = 50
# Feeds need absolute URLs even in local builds: "" means SITEURL when it is absolute, else http://BIND:PORT.
NEWSROOM_FEEDS_SITEURL = ""
# The domain in item ids (tag: URIs), pinned so that ids are the same in every build and never change.
NEWSROOM_FEEDS_TAG_AUTHORITY = "commonledger.example"

# --- Responsive images: newsroom_images (plugins/newsroom_images/) resizes lead and inline pictures at build
# time into NEWSROOM_IMAGES_WIDTHS, in their own format and in WebP, and keeps the copies in a cache. ---
PLUGINS += ["newsroom_images"]
NEWSROOM_IMAGES_WIDTHS = (400, 800, 1200, 1600)
NEWSROOM_IMAGES_QUALITY = {"jpeg": 80, "webp": 75}
# Relative to the repository root (the folder holding PATH); kept between builds, removed by `make clean`.
NEWSROOM_IMAGES_CACHE = "cache/images"
NEWSROOM_IMAGES_OUTPUT_DIR = "images/sized"

# --- Share cards: newsroom_cards (plugins/newsroom_cards/) draws a 1200x630 card (masthead, section, headline,
# in the theme's fonts and colours) for every article without a picture, which newsroom_discovery shares
# instead of the logo. Cards are kept in the build's cache and drawn again only when what they show changes. ---
PLUGINS += ["newsroom_cards"]
NEWSROOM_CARDS = True  # False shares such articles with the logo, and needs no fonts
NEWSROOM_CARDS_OUTPUT_DIR = "images/cards"

# --- Discovery: newsroom_discovery (plugins/newsroom_discovery/) writes the canonical URL, description, Open
# Graph, Twitter card and JSON-LD of every page (partials/meta.html), /sitemap.xml, /news-sitemap.xml and
# /robots.txt. ---
PLUGINS += ["newsroom_discovery"]
NEWSROOM_DISCOVERY_LOGO = "images/logo.png"  # publisher logo, and the share image of pages without one
NEWSROOM_DISCOVERY_TWITTER_SITE = ""  # the paper's account, e.g. "@commonledger"; "" leaves twitter:site out
NEWSROOM_DISCOVERY_NEWS_NAME = ""  # <news:name> in the news sitemap, as Google News shows it; "" is SITENAME

# --- Search: newsroom_search (plugins/newsroom_search/) indexes the published articles with Pagefind for
# /search/ at the end of every build, one index per section, and an incremental build re-indexes only the
# sections whose articles changed. The <meta> tags Pagefind reads are newsroom_discovery's. ---
PLUGINS += ["newsroom_search"]
NEWSROOM_SEARCH = True  # False skips Pagefind (the search page then points to the archive)

# --- Deployment: newsroom_assets (plugins/newsroom_assets/) gives templates the `asset` filter
# ({{ SITEURL }}/{{ "css/main.css"|asset }} -> theme/css/main.<hash10>.css, a name a server may cache for a
# year) and, when NEWSROOM_ASSETS_PRECOMPRESS is on, writes .gz and .br copies of the site's text files
# after every other plugin has written its files. ---
PLUGINS += ["newsroom_assets"]
# Off for local builds: `make serve`'s server never sends the .gz/.br copies, and Brotli at its best setting
# adds seconds to every rebuild. publishconf.py turns it on for the production site.
NEWSROOM_ASSETS_PRECOMPRESS = False
# Server configs: content/extra/_headers (security and cache headers for Netlify and Cloudflare Pages) is
# published at the site's root. Its nginx twin, content/extra/nginx.conf, is for admins and stays unpublished.
STATIC_PATHS += ["extra/_headers"]
EXTRA_PATH_METADATA = {**globals().get("EXTRA_PATH_METADATA", {}), "extra/_headers": {"path": "_headers"}}

# --- Sanitising: newsroom_sanitise (plugins/newsroom_sanitise/) cleans every article's and page's HTML with nh3
# as Pelican reads it: no scripts, event handlers, style attributes or javascript:/data: links; iframes only
# from NEWSROOM_SANITISE_EMBED_HOSTS. What it removes is logged as one warning per file. It cleans inside
# the reader, so nothing (the standfirst, feeds, search, templates) ever sees the HTML as typed, whatever
# the order of PLUGINS (tests/test_engine_seams.py builds the site with the list reversed). ---
PLUGINS += ["newsroom_sanitise"]
NEWSROOM_SANITISE_EMBED_HOSTS = ("www.youtube-nocookie.com", "player.vimeo.com", "www.openstreetmap.org")
NEWSROOM_SANITISE_URL_SCHEMES = ("http", "https", "mailto")  # plus relative links; javascript: and data: are refused

# --- Old URLs: newsroom_redirects (plugins/newsroom_redirects/). An article's URL is fixed when it is first
# published; when an editor changes its Slug or section, `make check` and every build find the move (in
# content/data/redirects.yml, and in git's history for commits no local tool saw) and the build writes a
# redirect at the old URL: a page at the old path, `_redirects` for Netlify and Cloudflare Pages, and
# `_redirects.map` for content/extra/nginx.conf (README.md, "Changing a published article's URL"). ---
PLUGINS += ["newsroom_redirects"]

# --- Live coverage: newsroom_live (plugins/newsroom_live/). An article with `Live:` is a live blog of timestamped
# updates in its Markdown file (README.md, "Live coverage"); beside its page the build writes updates.json,
# which the open page polls, and updates.atom.xml. ---
PLUGINS += ["newsroom_live"]
NEWSROOM_LIVE_POLL_SECONDS = 45

# --- The browser editor: newsroom_editor (plugins/newsroom_editor/) publishes Decap CMS at /admin/, its
# configuration made at every build from the content model (the validator's keys, NEWSROOM_DESKS,
# authors.yml). Decap is installed by `make install` (npm ci in plugins/newsroom_editor/); without it the
# site builds without /admin/. README.md, "The browser editor", has the settings. ---
PLUGINS += ["newsroom_editor"]
# Production: where the editor commits (Decap's `backend`: github, gitlab or gitea with repo and branch).
NEWSROOM_EDITOR_BACKEND = {"name": "github", "repo": "commonledger/paper", "branch": "main"}
# decap-server's address for editing this checkout in the browser (`make edit` sets it); None in production.
NEWSROOM_EDITOR_LOCAL_BACKEND = None
