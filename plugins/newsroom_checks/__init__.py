"""The content checks: every problem in a site's articles, pages and data files, found before Pelican runs.

Pure functions of the files and the settings, shared by every build (NewsroomPelican checks before it writes
anything), `make check` and the pre-commit hook, so an editor sees the same list wherever they look:

* frontmatter.py reads a Markdown file's `Key: value` header with line numbers;
* validation.py checks one article or page, and the URLs of all of them together;
* pictures.py checks the pictures inside a story: each exists where the site publishes pictures, with alt text;
* problems.py is what they report: one Problem per line an editor can act on, and the error that stops a build;
* site.py checks a whole site in one pass (check_site), reusing the checks of unchanged files (CheckCache);
* history.py reads every URL change of an article or page from git's history, and redirects.py works out
  from it and the record (content/data/redirects.yml) which old URLs redirect where (newsroom_redirects
  writes them).

The content model (newsroom_content) keeps what the checks read: the desk and section settings
(newsroom_content.settings) and the data-file loaders (newsroom_content.data_files). Not a Pelican plugin:
nothing to register, and not in PLUGINS.
"""

from .frontmatter import Header, HeaderField, parse_header
from .problems import ContentProblemsError, Problem, display_path
from .site import CheckCache, SiteCheck, check_site
from .validation import check_article, check_page, check_urls, parse_date, read_header, read_text

__all__ = [
    "CheckCache", "ContentProblemsError", "Header", "HeaderField", "Problem", "SiteCheck", "check_article",
    "check_page", "check_site", "check_urls", "display_path", "parse_date", "parse_header", "read_header",
    "read_text",
]
