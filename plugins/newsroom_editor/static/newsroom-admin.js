/* The Common Ledger's additions to the browser editor (Decap CMS): the file formats, the checks that
 * stop a save the validator would refuse, the "Picture" button for story pictures, and the preview laid
 * out like an article page.
 *
 * The build (`make check`, the pre-commit hook and CI) stays the judge: these checks only catch the
 * commonest mistakes before a save, and the preview's capitals and curly quotes imitate what the build's
 * Markdown (smarty) and theme (opening_capitals) do; the built page is the truth.
 *
 * The pure functions at the top run under node too (module.exports), for tests/test_editor_formats.py.
 */
(function (root) {
  "use strict";

  var Formats = typeof module === "object" && module.exports ? require("./newsroom-formats.js") : root.NewsroomFormats;

  // --- pure functions ------------------------------------------------------------------------------

  // Pelican's slugify with the site's settings (newsroom_content.settings.make_slug): accents dropped,
  // punctuation out, spaces and hyphens to one hyphen, lower case; then what the validator's Slug pattern
  // allows (an underscore as a hyphen).
  function slugify(text) {
    return String(text || "").normalize("NFKD").replace(/[^\x00-\x7f]/g, "")
      .replace(/[^\w\s-]/g, "").trim().replace(/[-\s_]+/g, "-").replace(/^-+|-+$/g, "").toLowerCase();
  }

  // Curly quotes, dashes and ellipses as Python-Markdown's smarty writes them. `before`: the character
  // before the text (for text that continues an earlier piece).
  function smartQuotes(text, before) {
    var out = "";
    var prev = before || "";
    text = String(text).replace(/---/g, "\u2014").replace(/--/g, "\u2013").replace(/\.\.\./g, "\u2026");
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      var next = text.charAt(i + 1);
      var opensAfter = prev === "" || /[\s(\[{\u2014\u2013-]/.test(prev);
      if (ch === '"') {
        ch = opensAfter && next && !/\s/.test(next) ? "\u201c" : "\u201d";
      } else if (ch === "'") {
        ch = opensAfter && next && !/\s/.test(next) && !/\d/.test(next) ? "\u2018" : "\u2019";
      }
      out += ch;
      prev = ch;
    }
    return out;
  }

  // The opening "word" as the theme marks it (newsroom_theme.markup.FIRST_WORD): up to the first space.
  function splitOpening(text) {
    var m = /^(\s*)(\S+)([\s\S]*)$/.exec(text);
    return m ? [m[1], m[2], m[3]] : null;
  }

  var PICTURE_IN_STORY = /!\[((?:[^\]\\\n]|\\.)*)\]\(\s*<?([^\s)>]*)>?(?:\s+"((?:[^"\\\n]|\\.)*)")?\s*\)/g;

  function ending(path) {
    var m = /(\.[A-Za-z0-9]+)(?:[?#].*)?$/.exec(String(path || ""));
    return m ? m[1].toLowerCase() : "";
  }

  // The problems that stop a save: what the validator refuses and the form cannot say by itself.
  function entryProblems(data, model) {
    var problems = [];
    var types = (model && model.uploadTypes) || [];
    var filled = function (key) { return data[key] !== undefined && data[key] !== null && String(data[key]).trim() !== ""; };
    if (filled("Image") && !filled("Image_alt")) {
      problems.push("The lead picture needs a text alternative: describe what it shows in \u201cLead picture: text alternative\u201d.");
    }
    if (filled("Image") && types.length && types.indexOf(ending(data.Image)) < 0) {
      problems.push("The lead picture must be a " + types.join(", ") + " file.");
    }
    if (filled("Correction") && !filled("Modified")) {
      problems.push("A correction is dated by \u201cLast changed\u201d: give the time the correction was made.");
    }
    if (filled("Modified") && filled("Date") && String(data.Modified) < String(data.Date)) {
      problems.push("\u201cLast changed\u201d cannot be earlier than the publication date.");
    }
    var body = String(data.body || "");
    var m;
    PICTURE_IN_STORY.lastIndex = 0;
    while ((m = PICTURE_IN_STORY.exec(body))) {
      if (!m[1].trim()) {
        problems.push("The picture " + (m[2] || "") + " in the story needs a text alternative: open it and fill in \u201cText alternative\u201d.");
      } else if (types.length && m[2] && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(m[2]) && types.indexOf(ending(m[2])) < 0) {
        problems.push("The picture " + m[2] + " in the story must be a " + types.join(", ") + " file.");
      }
    }
    return problems;
  }

  // A story picture's Markdown, as newsroom_markdown/figures.py reads it: ![alt](src "Caption | Credit").
  function escapeTitle(text) {
    return String(text || "").replace(/\\/g, "\\\\").replace(/"/g, '\\"');
  }

  function pictureMarkdown(data) {
    var alt = String(data.alt || "").replace(/\s+/g, " ").trim().replace(/\\/g, "\\\\").replace(/([\[\]])/g, "\\$1");
    var caption = escapeTitle(String(data.caption || "").replace(/\s+/g, " ").trim()).replace(/\|/g, "\\|");
    var credit = escapeTitle(String(data.credit || "").replace(/\s+/g, " ").trim());
    // A credit in the house style ("Photograph: Name") follows the caption after a space, as editors type it;
    // any other credit after " | " (figures.split_caption reads both).
    var joint = HOUSE_CREDIT.test(" " + credit) && !HOUSE_CREDIT.test(caption) ? " " : " | ";
    var title = credit ? (caption ? caption + joint + credit : (joint === " " ? credit : "| " + credit)) : caption;
    return "![" + alt + "](" + String(data.src || "").trim() + (title ? ' "' + title + '"' : "") + ")";
  }

  // figures.CREDIT_PATTERN: a credit in the paper's style closing a caption.
  var HOUSE_CREDIT = /(?:^|\s)((?:Photograph|Photo|Picture|Illustration|Composite|Graphic)s?:\s*\S[\s\S]*)$/;

  function unescapeMarkdown(text) {
    return String(text || "").replace(/\\([\\`*_{}\[\]()#+\-.!"|])/g, "$1");
  }

  function pictureData(match) {
    var title = match[3] || "";
    // The credit follows the last `|` that is not escaped (figures.split_caption).
    var cut = -1;
    for (var i = 0; i < title.length; i++) {
      if (title.charAt(i) === "\\") { i++; continue; }
      if (title.charAt(i) === "|") cut = i;
    }
    var caption = cut >= 0 ? title.slice(0, cut) : title;
    var credit = cut >= 0 ? title.slice(cut + 1) : "";
    var house = cut >= 0 ? null : HOUSE_CREDIT.exec(title);
    if (house) {
      caption = title.slice(0, house.index + house[0].length - house[1].length);
      credit = house[1];
    }
    return {
      alt: unescapeMarkdown(match[1]),
      src: match[2],
      caption: unescapeMarkdown(caption.trim()).replace(/\\\|/g, "|"),
      credit: unescapeMarkdown(credit.trim()),
    };
  }

  var PICTURE_BLOCK = /^!\[((?:[^\]\\\n]|\\.)*)\]\(([^\s)]+)(?:\s+"((?:[^"\\\n]|\\.)*)")?\)$/;

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];

  function newsDate(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value || ""));
    return m ? parseInt(m[3], 10) + " " + MONTHS[parseInt(m[2], 10) - 1] + " " + m[1] : "";
  }

  function namesJoined(names) {
    if (names.length < 2) return names.join("");
    return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  var api = {
    slugify: slugify, smartQuotes: smartQuotes, splitOpening: splitOpening, entryProblems: entryProblems,
    pictureMarkdown: pictureMarkdown, pictureData: pictureData, PICTURE_BLOCK: PICTURE_BLOCK, newsDate: newsDate,
  };
  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }

  // --- in the browser ------------------------------------------------------------------------------

  var CMS = root.CMS;
  var model = root.NEWSROOM_EDITOR || {};
  var h = root.h;
  var SOURCE = Formats.SOURCE;

  CMS.registerCustomFormat("newsroom-article", "md", Formats.articleFormat(model.articleKeys));
  CMS.registerCustomFormat("newsroom-yaml", "yml", Formats.yamlFormat());

  function plain(map) {
    return map && map.toJS ? map.toJS() : map || {};
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry;
      var data = entry.get("data");
      var values = plain(data);
      if (!(model.articleCollections || []).concat(["pages"]).some(function (n) { return n === entry.get("collection"); })) {
        return data;
      }
      var problems = entryProblems(values, model);
      if (problems.length) {
        // Decap shows the message and saves nothing.
        throw new Error("Not saved. " + problems.join(" "));
      }
      // A new story gets its address from its headline, written out so that it never changes by itself.
      if (!values.Slug && values.Title && !values[SOURCE]) {
        var slug = slugify(values.Title);
        if (!slug) {
          throw new Error("Not saved. Write the address (slug) in Latin letters, e.g. gaza-fishermen: the headline has none to make it from.");
        }
        data = data.set("Slug", slug);
      }
      return data;
    },
  });

  var pictureFields = [
    { name: "src", label: "Picture", widget: "image", choose_url: false,
      media_library: { config: { max_file_size: model.maxUploadBytes } } },
    { name: "alt", label: "Text alternative", widget: "string", required: true,
      hint: "What the picture shows, for readers who cannot see it." },
    { name: "caption", label: "Caption", widget: "string", required: false },
    { name: "credit", label: "Credit", widget: "string", required: false, hint: "e.g. Photograph: Dana Okafor" },
  ];

  function escapeHtml(text) {
    return String(text || "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  CMS.registerEditorComponent({
    // The id of Decap's own picture button, which this one replaces (in the toolbar and in the preview).
    id: "image",
    label: "Picture",
    fields: pictureFields,
    pattern: PICTURE_BLOCK,
    fromBlock: pictureData,
    toBlock: pictureMarkdown,
    toPreview: function (data, getAsset) {
      var src = data.src ? String(getAsset ? getAsset(data.src) : data.src) : "";
      var caption = data.caption || data.credit ? '<figcaption class="nr-story-figure__caption">' + escapeHtml(data.caption) +
        (data.credit ? ' <span class="nr-story-figure__credit">' + escapeHtml(data.credit) + "</span>" : "") + "</figcaption>" : "";
      return '<figure class="nr-story-figure"><img src="' + escapeHtml(src) + '" alt="' + escapeHtml(data.alt) + '">' + caption + "</figure>";
    },
  });

  (model.previewStyles || []).forEach(function (url) { CMS.registerPreviewStyle(url); });
  CMS.registerPreviewStyle(model.previewCss);

  // The story's text in the house style: curly quotes in every text outside code, and the opening word
  // of the first paragraph marked for capitals.
  function houseStyle(element) {
    if (!element || element.getAttribute("data-nr-styled") === element.innerHTML.length + "") return;
    var doc = element.ownerDocument;
    var walker = doc.createTreeWalker(element, 4 /* NodeFilter.SHOW_TEXT */);
    var prev = "";
    var node;
    while ((node = walker.nextNode())) {
      if (node.parentNode.closest && node.parentNode.closest("code, pre, script, style")) continue;
      var curled = smartQuotes(node.nodeValue, prev);
      if (curled !== node.nodeValue) node.nodeValue = curled;
      if (curled) prev = curled.charAt(curled.length - 1);
    }
    var first = element.querySelector("p");
    if (first && !first.querySelector(".nr-article__opening")) {
      var walk = doc.createTreeWalker(first, 4);
      while ((node = walk.nextNode())) {
        if (!node.nodeValue.trim()) continue;
        if (node.parentNode.closest("code")) break;
        var parts = splitOpening(node.nodeValue);
        var span = doc.createElement("span");
        span.className = "nr-article__opening";
        span.textContent = parts[1];
        node.parentNode.insertBefore(doc.createTextNode(parts[0]), node);
        node.parentNode.insertBefore(span, node);
        node.nodeValue = parts[2];
        break;
      }
    }
    element.setAttribute("data-nr-styled", element.innerHTML.length + "");
  }

  function list(value) {
    value = plain(value);
    return Array.isArray(value) ? value : value ? String(value).split(",").map(function (s) { return s.trim(); }).filter(Boolean) : [];
  }

  var ArticlePreview = root.createClass({
    componentDidMount: function () { this.style(); },
    componentDidUpdate: function () { this.style(); },
    style: function () { houseStyle(this.body); },
    render: function () {
      var self = this;
      var entry = this.props.entry;
      var get = function (key) { var v = entry.getIn(["data", key]); return v === undefined || v === null ? "" : v; };
      var isPage = entry.get("collection") === "pages";
      var image = get("Image");
      var picture = image ? h("figure", { className: "nr-article__figure" },
        h("picture", { className: "nr-article__picture" },
          h("img", { src: String(this.props.getAsset(image)), alt: get("Image_alt") })),
        get("Image_caption") || get("Image_credit") ? h("figcaption", { className: "nr-article__caption" },
          smartQuotes(get("Image_caption")), get("Image_credit") ? " " : null,
          get("Image_credit") ? h("span", { className: "nr-article__credit" }, smartQuotes(get("Image_credit"))) : null) : null) : null;
      var authors = list(entry.getIn(["data", "Authors"]));
      var byline = isPage ? null : h("p", { className: "nr-byline" },
        authors.length ? h("span", { className: "nr-byline__part nr-byline__authors" }, "By ", namesJoined(authors)) : null,
        h("span", { className: "nr-byline__part nr-byline__date" },
          authors.length ? h("span", { className: "nr-byline__separator", "aria-hidden": "true" }, " \u00b7 ") : null,
          newsDate(get("Date"))));
      return h("main", { className: "nr-main nr-editor-preview" },
        h("article", { className: isPage ? "nr-page" : "nr-article", lang: get("Lang") || undefined,
          dir: (model.rtlLangs || []).indexOf(String(get("Lang")).split("-")[0].toLowerCase()) >= 0 ? "rtl" : undefined },
          h("header", { className: isPage ? "nr-page__header" : "nr-article__header" },
            isPage ? null : h("p", { className: "nr-article__section" },
              h("span", { className: "nr-article__section-link" }, get("Category"))),
            h("h1", { className: isPage ? "nr-page__title" : "nr-article__headline" }, smartQuotes(get("Title"))),
            get("Summary") && !isPage ? h("p", { className: "nr-article__standfirst" }, smartQuotes(get("Summary"))) : null,
            byline),
          picture,
          h("div", { className: isPage ? "nr-page__body" : "nr-article__body", ref: function (el) { self.body = el; } },
            this.props.widgetFor("body"))));
    },
  });

  (model.articleCollections || []).concat(["pages"]).forEach(function (name) {
    CMS.registerPreviewTemplate(name, ArticlePreview);
  });
})(typeof self !== "undefined" ? self : this);
