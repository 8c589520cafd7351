// A table that scrolls sideways (on a phone, or a wide heatmap) can be scrolled with the
// keyboard: it becomes a Tab stop, only while it actually overflows.
(function () {
  function mark() {
    document.querySelectorAll("main table, main .overflow-auto").forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      if (overflows && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollStop = "1";
      } else if (!overflows && box.dataset.scrollStop) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollStop;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();
