// The search page on top of Pagefind's component UI (/pagefind/pagefind-component-ui.js): each result shows
// the headline (linking to the article), the standfirst, the date and the words that matched; a search can
// be linked to as /search/?q=words. A file, not an inline script, so a Content-Security-Policy without
// 'unsafe-inline' allows it.
//
// The index is split by section (newsroom_discovery/search_shards.py): /pagefind/shards.json lists one
// Pagefind bundle per section, and Pagefind's multisite support (mergeIndex) searches them all at once,
// ranking the results together and summing the filters' counts; ./pagefind.js stands between the UI and
// Pagefind's engine to keep sections without a word from answering with near misses (see there). The list
// is read before the component UI runs, because the UI loads its index as soon as the search box gets
// focus: by the time the box exists, the UI knows every shard.
import * as shardedEngine from "./pagefind.js";

const ui = document.querySelector("[data-nr-search]");

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

// The shards' folders, absolute paths on this site, the manifest's order kept (the first one's engine is the
// one loaded). The manifest is fetched afresh each time: it changes whenever a section gains or loses its shard.
async function shardPaths(bundle) {
  const base = new URL(bundle, window.location.href);
  const response = await fetch(new URL("shards.json", base), { cache: "no-cache" });
  if (!response.ok) throw new Error(`shards.json: HTTP ${response.status}`);
  const manifest = await response.json();
  return manifest.shards.map((shard) => ({ section: shard.section, path: new URL(shard.bundle, base).pathname }));
}

function unavailable(error) {
  if (error) console.warn("Search could not start:", error);
  const message = ui.querySelector("[data-nr-search-failed]");
  if (message) message.hidden = false;
}

async function start() {
  const bundle = ui.dataset.nrBundle || "/pagefind/";
  let shards;
  try {
    shards = await shardPaths(bundle);
  } catch (error) {
    unavailable(error);
    return;
  }
  if (!shards.length) {
    unavailable("no section has a search index");
    return;
  }
  try {
    await shardedEngine.load(shards);
    await import(new URL("pagefind-component-ui.js", new URL(bundle, window.location.href)).href);
  } catch (error) {
    unavailable(error);
    return;
  }
  const components = window.PagefindComponents;
  if (!components) {
    unavailable("Pagefind's component UI did not load");
    return;
  }
  const results = ui.querySelector("pagefind-results");
  if (results) results.resultTemplate = renderResult;
  // The custom elements registered with the default instance as the import defined them; nothing has
  // loaded an index yet, so its options can still say where the engine and the indexes are: the engine is
  // ./pagefind.js (the component imports `${bundlePath}pagefind.js`), the first shard its own index, the
  // others merged. baseUrl (from <pagefind-config>) must go to every merged index too: each one turns its
  // pages' paths into links on its own.
  const search = components.getInstanceManager().getInstance("default");
  const baseUrl = search.pagefindOptions.baseUrl;
  search.options.bundlePath = new URL(".", import.meta.url).pathname;
  search.options.mergeIndex = shards.slice(1).map(({ path }) => (baseUrl ? { bundlePath: path, baseUrl } : { bundlePath: path }));
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

if (ui) start();
