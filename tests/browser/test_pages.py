"""Every page type of the sample paper, as a reader's browser gets it.

These tests rely only on what the theme promises whatever its class names: a "Skip to main content" link
first in the tab order, `<main id="main-content">`, one `<h1>`, the banner, navigation and contentinfo
landmarks, and the page URLs. Screenshots of each page type at 375 and 1280 px go to test-output/screenshots/.
"""

from __future__ import annotations

import pytest

from .conftest import AXE_JS, FIXED_URLS, INSTALL_HINT, LOAD_EVERYTHING, OPTIONAL_PAGE_TYPES, PAGE_TYPES, SCREENSHOTS, open_visit

pytestmark = pytest.mark.browser

# axe-core rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe's best-practice rules are not run).
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
TABS = 40


@pytest.fixture(scope="module", params=PAGE_TYPES)
def url(request, page_urls) -> str:
    """The URL of one page type; skipped while the sample paper's build does not write that page. Module
    scoped, so pytest runs one page type's tests together and `loaded` below holds one tab at a time."""
    kind = request.param
    found = page_urls[kind]
    if found is None and kind in OPTIONAL_PAGE_TYPES:
        pytest.skip(f"the sample paper has no {kind} page at {FIXED_URLS[kind]} yet")
    assert found, f"no {kind} page found in the built sample paper"
    return found


# Runs axe in the page and returns only what a report needs, so the answer stays small.
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""})),
  }));
}"""


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s)")
        for node in v["nodes"][:3]:
            detail = node["summary"].splitlines()[1].strip() if len(node["summary"].splitlines()) > 1 else ""
            lines.append(f"    {node['target']}" + (f"  [{detail}]" if detail else ""))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def loaded(chromium, base_url, url):
    """One tab per page type, 1280 px wide, light scheme, the page loaded and settled (every image and font
    in, the network quiet), shared by the tests that only read it: the <h1> and landmarks, the landmarks'
    names, the console and outside requests, and axe (through `axe_results`).

    Sharing is safe because none of them changes what the others read: they query the DOM, the
    accessibility tree and the recorded console and requests. The one change, axe's script tag and its run
    in the dark scheme, is made by `axe_results`, which puts the light scheme back; an added <script> is
    neither a heading, a landmark nor a console error. The light 1280 px screenshot is taken of it too.
    The tests that press keys (skip link, keyboard) still have a tab of their own."""
    v, context = open_visit(chromium, base_url)
    try:
        v.goto(url)
        v.page.evaluate(LOAD_EVERYTHING)
        v.page.wait_for_load_state("networkidle")
        yield v
    finally:
        context.close()


# After a switch of colour scheme: the page's CSS transitions (if any) have run to their end, so axe reads
# the scheme's final colours.
TRANSITIONS_DONE = """async () => {
  await Promise.all(document.getAnimations().filter(a => a instanceof CSSTransition).map(a => a.finished.catch(() => null)));
}"""


@pytest.fixture(scope="module")
def axe_results(loaded) -> dict[str, list[dict]]:
    """axe's WCAG A/AA violations on the shared tab, in the light scheme and then the dark one.

    The dark run switches the loaded page's scheme instead of loading it again: the theme picks its colours
    with prefers-color-scheme media queries, which apply on the switch as on a load (no script reads the
    scheme). The light scheme is put back afterwards for the other tests sharing the tab."""
    return axe_in_both_schemes(loaded.page)


def axe_in_both_schemes(page) -> dict[str, list[dict]]:
    """axe's violations on a loaded light-scheme page, in the light scheme and then, switched, the dark one;
    the page is left in the light scheme."""
    assert AXE_JS.is_file(), f"axe-core is missing at {AXE_JS}: {INSTALL_HINT}"
    page.add_script_tag(path=str(AXE_JS))
    results = {}
    try:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.evaluate(TRANSITIONS_DONE)
            results[scheme] = page.evaluate(RUN_AXE, WCAG_AA_TAGS)
    finally:
        page.emulate_media(color_scheme="light")
    return results


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violations(axe_results, url, scheme):
    violations = axe_results[scheme]
    if violations:
        pytest.fail(f"axe-core on {url} ({scheme} scheme):\n{format_violations(violations)}", pytrace=False)


@pytest.fixture(scope="module")
def phone(chromium, base_url, url):
    """One tab per page type at 375 px, light scheme, the page loaded with every image, shared by the reflow
    check and the light 375 px screenshot: both only read the page (its boxes, its pixels)."""
    v, context = open_visit(chromium, base_url)
    try:
        v.page.set_viewport_size({"width": 375, "height": 800})
        v.goto(url)
        v.page.evaluate(LOAD_EVERYTHING)
        yield v
    finally:
        context.close()


def test_screenshots(loaded, phone, visit, url, request):
    """Each page type at 375 and 1280 px in both schemes. The light ones are taken of the shared tabs
    (`phone`, `loaded`), which are loaded at that size and scheme; the dark ones on a tab of this test's own."""
    kind = request.node.callspec.params["url"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.emulate_media(color_scheme="dark")
    for scheme in ("light", "dark"):
        for width in (375, 1280):
            if scheme == "light":
                page = phone.page if width == 375 else loaded.page
                assert page.viewport_size == {"width": width, "height": 800}
            else:
                page = visit.page
                page.set_viewport_size({"width": width, "height": 800})
                visit.goto(url)
                page.evaluate(LOAD_EVERYTHING)
            path = SCREENSHOTS / f"{kind}-{width}-{scheme}.png"
            png = page.screenshot(path=str(path), full_page=True, animations="disabled")
            assert png[:8] == b"\x89PNG\r\n\x1a\n"
            assert int.from_bytes(png[16:20], "big") >= width  # the PNG is at least as wide as the viewport


# The elements that stick out past the right edge of the viewport, outermost first.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && !out.some(o => o.contains(el))) out.push(el);
  }
  const name = el => `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ""}>`;
  return {scrollWidth: document.documentElement.scrollWidth, width,
          culprits: out.slice(0, 5).map(el => `${name(el)} ends at ${Math.round(el.getBoundingClientRect().right)} px`)};
}"""


def test_no_horizontal_scrolling_at_375px(phone, url):
    """WCAG 1.4.10 Reflow: a phone-width reader never scrolls sideways."""
    found = phone.page.evaluate(OVERFLOWING)
    assert found["scrollWidth"] <= found["width"], (
        f"{url} is {found['scrollWidth']} px wide in a {found['width']} px viewport; past the edge: "
        + "; ".join(found["culprits"]))


def test_one_h1_and_the_landmarks(loaded, url):
    page = loaded.page
    h1s = page.locator("h1")
    assert h1s.count() == 1, f"{url} has {h1s.count()} <h1> elements: {h1s.all_inner_texts()}"
    assert h1s.first.inner_text().strip(), f"the <h1> of {url} is empty"
    assert page.locator("main").count() == 1 and page.locator("main#main-content").count() == 1, \
        f'{url} needs exactly one <main>, with id="main-content"'
    for role in ("banner", "main", "contentinfo"):
        count = page.get_by_role(role).count()
        assert count == 1, f"{url} has {count} {role} landmarks, wants exactly 1"
    assert page.get_by_role("navigation").count() >= 1, f"{url} has no navigation landmark"
    assert page.locator("html").get_attribute("lang"), f"{url}: <html> has no lang"
    assert page.title().strip(), f"{url} has an empty <title>"


# What the focused element is, for a reader of a test report.
DESCRIBE = """el => {
  const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().replace(/\\s+/g, " ");
  const href = el.getAttribute("href");
  return `<${el.tagName.toLowerCase()}> "${text.slice(0, 40)}"` + (href ? ` href=${href}` : "");
}"""


def test_skip_link_moves_focus_into_main(visit, url):
    page = visit.page
    visit.goto(url)
    page.keyboard.press("Tab")
    link = page.evaluate_handle("document.activeElement").as_element()
    assert link is not None and link.evaluate("el => el.tagName") == "A", \
        f"the first Tab on {url} focused {link and link.evaluate(DESCRIBE)}, not a link"
    assert " ".join(link.inner_text().split()) == "Skip to main content", \
        f"the first Tab on {url} focused {link.evaluate(DESCRIBE)}, not the skip link"
    assert link.get_attribute("href") == "#main-content"
    box, width = link.bounding_box(), page.viewport_size["width"]
    on_screen = box and box["width"] > 0 and box["height"] > 0 and box["y"] >= 0 and 0 <= box["x"] <= width - box["width"]
    assert on_screen, f"the focused skip link on {url} is not on screen: {box}"
    page.keyboard.press("Enter")
    inside = page.evaluate("() => document.activeElement.closest('main#main-content') !== null")
    assert inside, (f"Enter on the skip link of {url} left focus on "
                    f"{page.evaluate_handle('document.activeElement').as_element().evaluate(DESCRIBE)}, "
                    "not in <main id=\"main-content\"> (give <main> tabindex=\"-1\")")


# Called after each Tab: where focus is now, whether a reader can see it, and its focused style. The
# elements are kept in window.__tabbed so their unfocused style can be read once the tabbing is done.
PROBE = """() => {
  const describe = DESCRIBE;
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const seen = (window.__tabbed = window.__tabbed || []);
  let index = seen.indexOf(el);
  if (index === -1) index = seen.push(el) - 1;
  const box = [...el.getClientRects()].find(r => r.width > 0 && r.height > 0) || el.getBoundingClientRect();
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
    && box.top < innerHeight && box.left < innerWidth;
  let onTop = false;
  if (onScreen) {
    const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    onTop = hit !== null && (hit === el || el.contains(hit));
  }
  const s = getComputedStyle(el);
  return {index, label: describe(el),
          visible: el.checkVisibility({opacityProperty: true, visibilityProperty: true}) && onScreen,
          onTop,
          style: {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
                  outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
                  boxShadow: s.boxShadow}};
}""".replace("DESCRIBE", DESCRIBE)

UNFOCUSED_STYLES = """() => {
  document.activeElement && document.activeElement.blur();
  return (window.__tabbed || []).map(el => {
    const s = getComputedStyle(el);
    return {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, boxShadow: s.boxShadow};
  });
}"""

NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def test_keyboard_navigation(visit, url):
    """Tab through the first 40 stops: each is on screen, not covered, shows a focus indicator; no trap."""
    page = visit.page
    visit.goto(url)
    page.add_style_tag(content=NO_TRANSITIONS)  # read the final focus style, not one mid-transition
    stops, problems = [], []
    for press in range(TABS):
        page.keyboard.press("Tab")
        stop = page.evaluate(PROBE)
        if stop is None:  # focus left the page after the last stop: the order ended, no trap
            break
        if stop["index"] < len(stops):
            if stop["index"] == 0:  # wrapped round to the first stop
                break
            trail = " -> ".join(s["label"] for s in stops[stop["index"]:]) + " -> " + stop["label"]
            pytest.fail(f"focus trap on {url}: Tab press {press + 1} went back to an earlier stop: {trail}")
        stops.append(stop)
        if not stop["visible"]:
            problems.append(f"{stop['label']}: focused but not visible on screen")
        elif not stop["onTop"]:
            problems.append(f"{stop['label']}: focused but covered by another element")
    assert stops, f"Tab never focused anything on {url}"

    unfocused = page.evaluate(UNFOCUSED_STYLES)
    for stop, before in zip(stops, unfocused):
        focused = stop["style"]
        outline = (focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0
                   and focused["outline"] != before["outline"])
        shadow = focused["boxShadow"] != "none" and focused["boxShadow"] != before["boxShadow"]
        if not (outline or shadow):
            problems.append(f"{stop['label']}: no focus indicator, neither outline nor box-shadow changes on focus "
                            f"(focused: outline {focused['outline']}, box-shadow {focused['boxShadow']})")
    assert not problems, f"keyboard navigation on {url} ({len(stops)} stops):\n    " + "\n    ".join(problems)


def test_no_console_errors_or_outside_requests(loaded, url):
    # `loaded` records from before the page's first request and waited for every image and for the network
    # to go quiet, as this test did on a tab of its own.
    outside, errors = loaded.outside_requests, loaded.console_errors
    assert not outside, f"{url} asked hosts other than 127.0.0.1 for:\n    " + "\n    ".join(outside)
    assert not errors, f"{url} logged errors:\n    " + "\n    ".join(errors)


LANDMARK_ROLES = {"banner", "main", "contentinfo", "navigation", "region", "complementary", "form", "search"}


def landmarks(page) -> list[tuple[str, str]]:
    """(role, accessible name) of every landmark on the page, as Chromium computes them for a screen reader."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    found = []
    for node in nodes:
        role = node.get("role", {}).get("value")
        if role in LANDMARK_ROLES and not node.get("ignored"):
            found.append((role, " ".join(str(node.get("name", {}).get("value", "")).split())))
    return found


def test_landmarks_of_a_role_have_distinct_names(loaded, url):
    """A screen reader's landmark list tells every region apart: no two of one role share a name (or lack one)."""
    found = landmarks(loaded.page)
    assert {"banner", "main", "contentinfo", "navigation"} <= {role for role, _ in found}, found
    seen: dict[tuple[str, str], int] = {}
    for key in found:
        seen[key] = seen.get(key, 0) + 1
    repeated = [f'{count} × {role} "{name}"' for (role, name), count in seen.items() if count > 1]
    assert not repeated, f"{url} has landmarks a screen reader cannot tell apart: {'; '.join(repeated)}\nall: {found}"
