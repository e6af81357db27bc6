/* opencen analytics: draw the Vega-Lite charts the server wrote, sort the tables. */
(function () {
  "use strict";

  function embed(el) {
    var source = document.getElementById(el.dataset.vegaSpec);
    if (!source || typeof vegaEmbed === "undefined") { return; }
    var signature = el.dataset.signature;
    if (el.dataset.rendered === signature) { return; }
    var spec = JSON.parse(source.textContent);
    vegaEmbed(el, spec, {
      renderer: "svg",
      actions: {export: true, source: false, compiled: false, editor: false},
      tooltip: true
    }).then(function (result) {
      // Kept for the browser tests and for anyone exploring the data from the console.
      window.opencenCharts = window.opencenCharts || {};
      window.opencenCharts[el.dataset.vegaSpec] = result.view;
      el.dataset.rendered = signature;
      el.dispatchEvent(new CustomEvent("chart:rendered", {bubbles: true}));
    }).catch(function (err) {
      el.textContent = String(err);
      el.classList.add("chart-error");
    });
  }

  function embedAll(root) {
    (root || document).querySelectorAll("[data-vega-spec]").forEach(embed);
  }

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell ? cell.dataset.value : "";
    if (!numeric) { return (cell ? cell.textContent : "").trim().toLowerCase(); }
    var n = parseFloat(raw);
    return isNaN(n) ? -Infinity : n;
  }

  function sortBy(button) {
    var th = button.closest("th");
    var table = th.closest("table");
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = ["int", "num", "pct"].indexOf(th.dataset.kind) >= 0;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      if (x === y) { return 0; }
      return (x < y ? -1 : 1) * (ascending ? 1 : -1);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("table.sortable th button.sort");
    if (button) { sortBy(button); }
  });
  document.addEventListener("DOMContentLoaded", function () { embedAll(document); });
  document.addEventListener("htmx:load", function (event) { embedAll(event.detail.elt); });
  window.addEventListener("load", function () { embedAll(document); });
}());
