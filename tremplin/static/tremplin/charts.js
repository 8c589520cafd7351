// Draws a chart declared on the page, in the page's language: French months and days, decimal
// comma and narrow-space thousands in French (d3's fr-FR locale), English otherwise.
(function () {
  var FR_NUMBERS = {decimal: ",", thousands: "\u202f", grouping: [3],
                    currency: ["", "\u00a0€"], percent: "\u202f%"};
  var FR_DATES = {
    dateTime: "%A %e %B %Y à %X", date: "%d/%m/%Y", time: "%H:%M:%S", periods: ["AM", "PM"],
    days: ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    shortDays: ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    months: ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"],
    shortMonths: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
                  "oct.", "nov.", "déc."]
  };
  window.tremplinChart = function (chartId, specId) {
    var spec = JSON.parse(document.getElementById(specId).textContent);
    // The expressions run through vega-interpreter (no Function constructor) and embed adds
    // no style element: the page's Content-Security-Policy allows neither.
    var options = {actions: false, renderer: "svg", ast: true, defaultStyle: false};
    var radial = (spec.signals || []).some(function (s) { return s.name === "radius"; });
    if (radial) {  // a radar: shrink the circle, not the text, to the screen's width
      var room = document.getElementById(chartId).clientWidth - spec.padding.left -
                 spec.padding.right;
      spec.width = spec.height = Math.max(140, Math.min(spec.width, room));
    }
    // The chart is hidden from screen readers (the table under it gives the same figures):
    // no ARIA descriptions, which Vega-Lite writes in English whatever the page's language.
    if ((spec.$schema || "").indexOf("vega-lite") >= 0) {
      spec.config = Object.assign({}, spec.config || {}, {aria: false});
    }
    if ((document.documentElement.lang || "").slice(0, 2) === "fr") {
      options.formatLocale = FR_NUMBERS;
      options.timeFormatLocale = FR_DATES;
    }
    vegaEmbed("#" + chartId, spec, options).then(function (drawn) {
      // what the configuration leaves (the title's "Title text …")
      drawn.view.container().querySelectorAll("[aria-label]").forEach(function (e) {
        e.removeAttribute("aria-label");
      });
    });
  };
  // Every chart the page declares (no inline script: see the Content-Security-Policy).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".chart[data-spec]").forEach(function (element) {
      window.tremplinChart(element.id, element.getAttribute("data-spec"));
    });
  });
})();
