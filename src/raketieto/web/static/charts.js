// Draws every chart of the page (and of htmx-swapped fragments) from its Vega-Lite spec.
(function () {
  "use strict";
  // Axis numbers in the page's language: decimal comma and a space between thousands in fi/sv.
  var NORDIC = { decimal: ",", thousands: "\u00a0", grouping: [3], currency: ["", "\u00a0€"], minus: "\u2212" };
  var LOCALES = { fi: NORDIC, sv: NORDIC };
  function embedAll(root) {
    if (typeof vegaEmbed !== "function") { return; }
    root.querySelectorAll(".chart[data-spec]").forEach(function (el) {
      if (el.dataset.drawn) { return; }
      var source = document.getElementById(el.dataset.spec);
      if (!source) { return; }
      el.dataset.drawn = "1";
      var spec = JSON.parse(source.textContent);
      if (spec.usermeta && spec.usermeta.fitFacet && spec.spec) {
        // A faceted chart cannot take its container's width; give it the width itself.
        spec.spec.width = Math.max(160, el.clientWidth - 110);
      }
      var options = { actions: false, renderer: "svg" };
      var locale = LOCALES[document.documentElement.lang];
      if (locale) { options.formatLocale = locale; }
      vegaEmbed(el, spec, options)
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
