// Draws every chart of the page (and of htmx-swapped fragments) from its Vega-Lite spec.
(function () {
  "use strict";
  function embedAll(root) {
    if (typeof vegaEmbed !== "function") { return; }
    root.querySelectorAll(".chart[data-spec]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var source = document.getElementById(el.dataset.spec);
      if (!source) { return; }
      el.dataset.drawn = "1";
      vegaEmbed(el, JSON.parse(source.textContent), { actions: false, renderer: "svg" })
        .then(function (result) {
          // The table and sentence next to the chart carry the meaning for assistive tech.
          var svg = el.querySelector("svg");
          if (svg) { svg.setAttribute("focusable", "false"); }
          el.dataset.ready = "1";
        })
        .catch(function () { el.dataset.failed = "1"; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { embedAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { embedAll(event.target); });
  document.addEventListener("htmx:historyRestore", function () {
    document.querySelectorAll(".chart[data-drawn]").forEach(function (el) { delete el.dataset.drawn; el.innerHTML = ""; });
    embedAll(document);
  });
})();
