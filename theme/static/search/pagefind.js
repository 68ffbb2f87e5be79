// Pagefind's search API over the paper's section shards, for the component UI (search.js points its
// bundlePath here, and the component imports `${bundlePath}pagefind.js`). Everything is Pagefind's own
// engine, imported from the first shard; this module only adds what merging shards needs.
//
// Why it exists: when a word is not in an index, Pagefind searches for the longest prefix of it that is
// (upstream behaviour since 1.0, no option turns it off), so "adjustment" matches "a" in an index without
// it. With one index for the whole site that only happens for words the site never uses; with one index
// per section, every section without the word would answer with such matches. So each shard's pages get a
// synthetic filter naming their shard (mergeFilter, hidden from the filter pane), and a search first asks,
// word by word, which shards hold the word itself (an exact search, which never falls back); the search the
// reader sees then runs only over the shards that hold every word that exists somewhere on the site. Words
// found nowhere keep Pagefind's own behaviour, as with one index.
const SHARD = "nr-shard";

let engine = null;
let shards = []; // [{section, path}] in the manifest's order: the first one's engine is the one loaded

// Called by search.js before the component UI exists, so createInstance (which must answer at once) has
// the engine to hand.
export async function load(shardList) {
  shards = shardList;
  engine = await import(new URL("pagefind.js", new URL(shards[0].path, window.location.href)).href);
}

function shardOf(path) {
  const wanted = new URL(path, window.location.href).pathname;
  const found = shards.find((shard) => new URL(shard.path, window.location.href).pathname === wanted);
  return found ? found.section : null;
}

function withoutShardFilter(counts) {
  if (counts && typeof counts === "object") delete counts[SHARD];
  return counts;
}

function noResults(response) {
  return { ...response, results: [], unfilteredResultCount: 0, filters: {}, totalFilters: withoutShardFilter(response.totalFilters) };
}

// The shards that hold every word of `term` that some shard holds, or null for "all of them".
async function shardsToSearch(instance, term) {
  if (shards.length < 2 || typeof term !== "string" || term.includes('"')) return null; // a phrase never falls back
  const words = [...new Set(term.trim().split(/\s+/).filter(Boolean))];
  let chosen = null;
  for (const word of words) {
    const exact = await instance.search(`"${word}"`, {});
    const holding = Object.entries((exact && exact.filters && exact.filters[SHARD]) || {})
      .filter(([, count]) => count > 0).map(([name]) => name);
    if (!holding.length) continue; // nowhere on the site: Pagefind's own prefix search, as with one index
    chosen = chosen === null ? new Set(holding) : new Set(holding.filter((name) => chosen.has(name)));
  }
  return chosen;
}

export function createInstance(options = {}) {
  if (!engine) throw new Error("search/pagefind.js: load() the shards before creating an instance");
  const real = engine.createInstance({ ...options, mergeFilter: { [SHARD]: shards[0].section } });
  return {
    options: (opts) => real.options(opts),
    init: () => real.init(),
    destroy: () => real.destroy(),
    preload: (term, opts) => real.preload(term, opts),
    mergeIndex: (path, opts = {}) => real.mergeIndex(path, { ...opts, mergeFilter: { [SHARD]: shardOf(path) } }),
    filters: async () => withoutShardFilter(await real.filters()),
    async search(term, opts = {}) {
      const chosen = await shardsToSearch(real, term);
      const filters = { ...(opts.filters || {}) };
      if (chosen !== null) filters[SHARD] = { any: [...chosen] };
      const response = await real.search(term, { ...opts, filters });
      if (!response) return response;
      if (chosen !== null && chosen.size === 0) return noResults(response);
      withoutShardFilter(response.filters);
      withoutShardFilter(response.totalFilters);
      return response;
    },
  };
}
