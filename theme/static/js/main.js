// Enhancements only: every page reads and works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("nr-js");

  // The web fonts' stylesheet is linked print-only so that it never delays the first paint (base.html);
  // for the screen it is switched on here. A face that arrives after the first tenth of a second is used
  // from the next page on (font-display: optional), so the text never jumps under the reader.
  var fonts = document.querySelector("link[data-nr-fonts]");
  if (fonts) fonts.media = "all";

  // The fund's appeal was set for the build's date; a page may be read days later (or, built late on the
  // last day, in the early hours of the next). The page carries the wording of every state it can move into,
  // so the reader's clock only chooses which one shows and recounts the days: never a count below one, and
  // never "We need" or the donate button once the appeal has ended.
  var DAY = 24 * 60 * 60 * 1000;
  var ORDER = ["before", "running", "ended"];
  function localDay(iso) {
    var parts = iso.split("-").map(Number);
    return new Date(parts[0], parts[1] - 1, parts[2]).getTime();
  }
  function showDays(days, left) {
    if (left === 0) {
      days.textContent = "Last day of the appeal";
      return;
    }
    var amount = document.createElement("strong");
    amount.className = "nr-fund__amount";
    amount.textContent = String(left);
    days.textContent = "";
    days.appendChild(amount);
    days.appendChild(document.createTextNode(left === 1 ? " day remaining" : " days remaining"));
  }
  function updateFund(fund) {
    var data = fund.dataset;
    if (!data.nrFundStart || !data.nrFundEnd) return;
    var now = new Date();
    var today = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
    var start = localDay(data.nrFundStart);
    var end = localDay(data.nrFundEnd);
    var state = today < start ? "before" : today > end ? "ended" : "running";
    // A reader's clock behind the build's (another timezone, a wrong clock) never takes the page back.
    if (ORDER.indexOf(state) < ORDER.indexOf(data.nrFundState)) state = data.nrFundState;
    var shown = fund.querySelector('[data-nr-fund-when="' + state + '"]');
    if (!shown) return;
    Array.prototype.forEach.call(fund.querySelectorAll("[data-nr-fund-when]"), function (part) {
      part.hidden = part !== shown;
    });
    if (state === "running") {
      var days = shown.querySelector("[data-nr-fund-days]");
      if (days) showDays(days, Math.max(Math.round((end - today) / DAY), 0));
    }
    var next = shown.querySelector("[data-nr-fund-next-note]");
    if (next && data.nrFundNext && today > localDay(data.nrFundNext)) next.hidden = true;
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".nr-fund[data-nr-fund-state]"), updateFund);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// --- Breaking news (partials/breaking.html, newsroom_content/breaking.py) ---
// The first build after the banner's expiry takes it off every page; a page built before and read after it
// (from a cache, or a tab left open) takes it down by the reader's clock, at once or at that minute.
(function () {
  "use strict";
  var bar = document.querySelector(".nr-breaking[data-nr-expires]");
  if (!bar) return;
  var left = Date.parse(bar.getAttribute("data-nr-expires")) - Date.now();
  function takeDown() { bar.hidden = true; }
  if (!(left > 0)) {
    takeDown();
  } else if (left < 0x7fffffff) {  // setTimeout's longest wait, about 24 days
    setTimeout(takeDown, left);
  }
})();

// --- Masthead (partials/header.html, newsroom_theme/masthead.py) ---
// The date line becomes the reader's date (the build's fields and order), never one before the build's: it
// would sit above stories dated after it. A scrolling section row shows the current section.
(function () {
  "use strict";
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function isoDay(d) { return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()); }
  function updateDateline(time) {
    var now = new Date(), today = isoDay(now), f = {};
    if (today <= time.getAttribute("datetime")) return;
    try {
      new Intl.DateTimeFormat(time.dataset.nrDateline, {
        weekday: "long", day: "numeric", month: "long", year: "numeric", numberingSystem: "latn",
      }).formatToParts(now).forEach(function (part) { f[part.type] = part.value; });
    } catch (error) {
      return; // an unknown locale: the build's line stays
    }
    if (!f.weekday || !f.day || !f.month || !f.year) return;
    time.textContent = [f.weekday, f.day, f.month, f.year].join(" ");
    time.setAttribute("datetime", today);
  }
  function showCurrentSection(list) {
    var current = list.querySelector("[aria-current]");
    if (!current || list.scrollWidth <= list.clientWidth) return;
    var row = list.getBoundingClientRect(), link = current.getBoundingClientRect();
    list.scrollLeft += link.left + link.width / 2 - row.left - row.width / 2; // the row only, not the page
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("time[data-nr-dateline]"), updateDateline);
    Array.prototype.forEach.call(document.querySelectorAll(".nr-nav__list"), showCurrentSection);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
