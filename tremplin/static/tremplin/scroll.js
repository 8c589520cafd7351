// A table that scrolls sideways (on a phone, or a wide heatmap) can be scrolled with the
// keyboard: it becomes a Tab stop, only while it actually overflows. While more of it lies to
// the right, its right edge fades (class "more-right"): the last column cut at the screen's
// edge no longer looks like the table's end.
(function () {
  function edge(box) {
    box.classList.toggle("more-right", box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
  }
  function mark() {
    document.querySelectorAll("main table, main .overflow-auto").forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      if (!box.dataset.edgeWatched) {
        box.dataset.edgeWatched = "1";
        box.addEventListener("scroll", function () { edge(box); }, { passive: true });
      }
      edge(box);
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
