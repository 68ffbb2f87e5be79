// Enhancements only: every page reads and works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("nr-js");

  // The fund's days remaining were counted at build time; recount them on the reader's own clock so a
  // page served days after the last build does not overstate the time left.
  var DAY = 24 * 60 * 60 * 1000;
  function localDay(iso) {
    var parts = iso.split("-").map(Number);
    return new Date(parts[0], parts[1] - 1, parts[2]).getTime();
  }
  function updateFund(fund) {
    var days = fund.querySelector("[data-nr-fund-days]");
    if (!days || !fund.dataset.nrFundEnd) return;
    var now = new Date();
    var today = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
    var left = Math.round((localDay(fund.dataset.nrFundEnd) - today) / DAY);
    var started = today >= localDay(fund.dataset.nrFundStart || "1970-01-01");
    if (!started) return; // the build's own wording already says when it starts
    if (left < 0) {
      days.textContent = "This month's appeal has ended";
    } else if (left === 0) {
      days.textContent = "Last day of the appeal";
    } else {
      var amount = document.createElement("strong");
      amount.className = "nr-fund__amount";
      amount.textContent = String(left);
      days.textContent = "";
      days.appendChild(amount);
      days.appendChild(document.createTextNode(left === 1 ? " day remaining" : " days remaining"));
    }
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".nr-fund[data-nr-fund-end]"), updateFund);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
