// Live blogs (newsroom_live): the updates published after the page was built, without a reload.
// Loaded only on a live blog's page while it is live (article.html); without it the page is complete as built.
//
// While the tab is visible it fetches the blog's updates.json every data-nr-live-poll seconds (hidden, it
// waits, and asks at once when the reader comes back; after a failed fetch it waits twice as long each time,
// up to five minutes), and stops once the file says the blog has ended. New updates never move what the
// reader is reading: when the newest update is on screen they go in above it; otherwise they wait behind an
// "n new updates" button, fixed to the top of the window, that adds them and takes the reader to them.
// Each arrival is announced politely through an aria-live region.
(function () {
  "use strict";
  var root = document.querySelector("[data-nr-live]");
  if (!root || !window.fetch || !("content" in document.createElement("template"))) return;
  var list = root.querySelector("[data-nr-live-list]");
  if (!list) return;
  var data = root.dataset;
  var POLL = Math.max(Number(data.nrLivePoll) || 45, 1) * 1000;
  var LONGEST = 5 * 60 * 1000;
  var delay = POLL, timer = null, stopped = false, pending = [];
  var known = {};
  Array.prototype.forEach.call(list.querySelectorAll("[data-nr-live-update]"), function (el) { known[el.id] = true; });

  var region = document.createElement("p");
  region.className = "nr-visually-hidden";
  region.setAttribute("aria-live", "polite");
  root.appendChild(region);
  function announce(text) { region.textContent = text; }

  var button = document.createElement("button");
  button.type = "button";
  button.className = "nr-live__new";
  button.hidden = true;
  button.addEventListener("click", function () {
    var first = showPending();
    if (first) {
      first.scrollIntoView({ block: "start" });
      var time = first.querySelector(".nr-live-update__time");
      if (time) time.focus();
    }
  });
  root.appendChild(button);

  function countText(n) { return n === 1 ? data.nrLiveOne : data.nrLiveMany.replace("{n}", String(n)); }
  function firstUpdate() { return list.querySelector("[data-nr-live-update]"); }
  function readerAtTop() {
    var first = firstUpdate();
    return !first || first.getBoundingClientRect().top >= 0;
  }

  function addKeyEvent(update) {
    var keys = root.querySelector("[data-nr-live-key-list]");
    if (!keys) return;
    var item = document.createElement("li");
    item.className = "nr-live__key-item";
    var link = document.createElement("a");
    link.className = "nr-live__key-link";
    link.href = "#" + update.id;
    var time = document.createElement("time");
    time.className = "nr-live__key-time";
    time.dateTime = update.datePublished;
    time.textContent = update.time;
    link.appendChild(time);
    link.appendChild(document.createTextNode(" " + (update.headline || "")));
    item.appendChild(link);
    keys.insertBefore(item, keys.firstChild);
    var box = keys.closest("nav");
    if (box) box.hidden = false;
  }

  // Adds the waiting updates above the newest one, oldest first so the newest ends on top; returns it.
  function showPending() {
    var adding = pending.slice().reverse();
    pending = [];
    button.hidden = true;
    var newest = null;
    adding.forEach(function (update) {
      var template = document.createElement("template");
      template.innerHTML = update.html;
      var el = template.content.firstElementChild;
      if (!el || known[update.id]) return;
      known[update.id] = true;
      var first = firstUpdate();
      if (first) list.insertBefore(el, first); else list.appendChild(el);
      if (update.key) addKeyEvent(update);
      newest = el;
    });
    if (adding.length) {
      var last = adding[adding.length - 1];
      var shown = document.querySelector("[data-nr-live-status] time");
      if (shown) {
        shown.dateTime = last.datePublished;
        shown.textContent = last.time;
      }
      announce(countText(adding.length) + ". " + data.nrLiveArrived + " " + last.time + " " + (last.headline || ""));
    }
    return newest;
  }

  function receive(blog) {
    var fresh = (blog.updates || []).filter(function (u) {
      return !known[u.id] && !pending.some(function (p) { return p.id === u.id; });
    });
    if (fresh.length) {
      pending = fresh.concat(pending);  // the file lists the newest first
      if (readerAtTop()) {
        showPending();
      } else {
        button.textContent = countText(pending.length);
        button.hidden = false;
        announce(countText(pending.length));
      }
    }
    if (blog.live === false) {
      stopped = true;
      var status = document.querySelector("[data-nr-live-status]");
      if (status) {
        status.textContent = data.nrLiveEnded;
        status.classList.remove("nr-live-status--live");
      }
      Array.prototype.forEach.call(document.querySelectorAll(".nr-article .nr-live-badge"), function (badge) { badge.hidden = true; });
    }
  }

  function schedule(wait) {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(check, wait);
  }

  function check() {
    if (document.hidden) return;  // asked again when the tab is visible (below)
    fetch(data.nrLive, { cache: "no-cache", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (blog) {
        delay = POLL;
        receive(blog);
        schedule(delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, LONGEST);
        schedule(delay);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && !stopped) check();
  });
  schedule(POLL);
})();
