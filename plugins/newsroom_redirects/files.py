"""What the build writes for the redirects: pure functions from the redirect map to text.

`redirects` everywhere is the check's map (newsroom_checks.redirects): old URL -> new URL, both relative to
the site ("europe/old-slug/"), or the new one an absolute http(s) URL of another site.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import urlsplit

GENERATED = "Written by the build (newsroom_redirects) from content/data/redirects.yml and git's history: do not edit."


@dataclass(frozen=True)
class Target:
    """What the old URL's readers are sent to: its title and language, for the link they may have to follow."""

    title: str
    lang: str = ""
    direction: str = ""  # "rtl" for right-to-left languages


def is_external(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def href(url: str, siteurl: str) -> str:
    """The link to a site-relative URL, as the site's pages write theirs (SITEURL, "" in a local build)."""
    return url if is_external(url) else f"{siteurl.rstrip('/')}/{url}"


def absolute(url: str, site: str) -> str:
    return url if is_external(url) else f"{site.rstrip('/')}/{url}"


def redirect_page(new: str, target: Target | None, *, siteurl: str, site: str, sitename: str, lang: str) -> str:
    """The HTML page at an old URL: a canonical link and an immediate refresh to the new URL, kept out of
    search engines' indexes (they follow the canonical link instead), and a plain link for readers whose
    browser does not follow the refresh. No stylesheet or script: the page is seen for a moment, if at all."""
    link, canonical = href(new, siteurl), absolute(new, site)
    title = target.title if target else canonical
    attributes = ""
    if target and target.lang and target.lang != lang:
        attributes += f' lang="{escape(target.lang)}"'
    if target and target.direction == "rtl":
        attributes += ' dir="rtl"'
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(lang)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        # The browser's own colours, dark in dark mode: no flash of white between two dark pages.
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>Moved: {escape(title)} | {escape(sitename)}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{escape(canonical)}">\n'
        f'<meta http-equiv="refresh" content="0; url={escape(link)}">\n'
        '<link rel="icon" href="data:,">\n'
        "</head>\n"
        "<body>\n"
        "<main>\n"
        "<h1>This page has moved</h1>\n"
        f'<p>It is now at <a href="{escape(link)}"{attributes}>{escape(title)}</a>.</p>\n'
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )


def base_path(site: str) -> str:
    """The path the site is served under ("" at a domain's root, "/paper" for https://host/paper)."""
    return urlsplit(site).path.rstrip("/")


def netlify_redirects(redirects: dict[str, str], *, site: str, status: int) -> str:
    """Netlify's and Cloudflare Pages' `_redirects`: `/old/ /new/ 301`, one line each.

    Plain `301`, not Netlify's `301!`: Cloudflare Pages refuses the `!` (it always applies its rules), while
    Netlify, without it, serves the redirect page the build wrote at the old path, which redirects too."""
    base = base_path(site)
    lines = [f"# {GENERATED}\n"]
    for old, new in sorted(redirects.items()):
        lines.append(f"{base}/{old} {new if is_external(new) else f'{base}/{new}'} {status}\n")
    return "".join(lines)


def nginx_map(redirects: dict[str, str], *, site: str) -> str:
    """Lines for the nginx example's `map $uri $paper_redirect { include ...; }`: `"/old/" "/new/";`."""
    base = base_path(site)
    lines = [f"# {GENERATED}\n", "# Included by content/extra/nginx.conf (its `map $uri $paper_redirect`); reload nginx after a deploy.\n"]
    for old, new in sorted(redirects.items()):
        target = new if is_external(new) else f"{base}/{new}"
        lines.append(f'"{nginx_escape(f"{base}/{old}")}" "{nginx_escape(target)}";\n')
    return "".join(lines)


def nginx_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
