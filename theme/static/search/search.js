// The search page on top of Pagefind's component UI (/pagefind/pagefind-component-ui.js, loaded before this
// module by search.html): each result shows the headline (linking to the article), the standfirst, the date
// and the words that matched; a search can be linked to as /search/?q=words. A file, not an inline script,
// so a Content-Security-Policy without 'unsafe-inline' allows it.
const ui = document.querySelector("[data-nr-search]");
const components = window.PagefindComponents;

// The date as the paper prints it ("20 November 2026"), on the paper's clock, not the reader's.
function formatDate(iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return "";
  try {
    return new Intl.DateTimeFormat(ui.dataset.nrLocale || "en-GB", {
      day: "numeric", month: "long", year: "numeric", timeZone: ui.dataset.nrTimezone || undefined,
    }).format(when);
  } catch (error) {
    return when.toDateString(); // an unknown locale or timezone: still a readable date
  }
}

// Pagefind's excerpt is text with the matches in <mark>; it escapes < and > in the text. Rebuild it from
// text nodes and <mark> elements, so nothing from the index is ever parsed as HTML.
function excerptNodes(excerpt) {
  const nodes = [];
  let marked = false;
  for (const part of String(excerpt || "").split(/(<mark>|<\/mark>)/)) {
    if (part === "<mark>") { marked = true; continue; }
    if (part === "</mark>") { marked = false; continue; }
    if (!part) continue;
    const text = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
    if (marked) {
      const mark = document.createElement("mark");
      mark.appendChild(text);
      nodes.push(mark);
    } else {
      nodes.push(text);
    }
  }
  return nodes;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text) node.textContent = text;
  return node;
}

// One result: a list item the component puts in its <ul>. The headline is the only link, so Pagefind's
// arrow-key navigation moves from article to article.
function renderResult(result) {
  const meta = result.meta || {};
  const item = element("li", "nr-search-result");
  const heading = element("h2", "nr-search-result__headline");
  const link = element("a", "nr-search-result__link", meta.title || result.url);
  link.href = result.url;
  heading.appendChild(link);
  item.appendChild(heading);
  if (meta.standfirst) item.appendChild(element("p", "nr-search-result__standfirst", meta.standfirst));
  if (meta.date) {
    const date = element("p", "nr-search-result__date");
    const time = element("time", "", formatDate(meta.date));
    time.dateTime = meta.date;
    date.appendChild(time);
    item.appendChild(date);
  }
  if (result.excerpt) {
    const excerpt = element("p", "nr-search-result__excerpt");
    excerpt.append(...excerptNodes(result.excerpt));
    item.appendChild(excerpt);
  }
  return item;
}

if (ui && components) {
  const results = ui.querySelector("pagefind-results");
  if (results) results.resultTemplate = renderResult;
  const search = components.getInstanceManager().getInstance("default");
  // Keep the address in step with the search, so it can be bookmarked, shared and reloaded; and show the
  // filters only once there is a search for them to narrow (they are empty before).
  search.on("search", (term) => {
    ui.toggleAttribute("data-nr-searched", Boolean(term));
    const url = new URL(window.location.href);
    if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query && query.trim()) search.triggerSearch(query.trim());
}
