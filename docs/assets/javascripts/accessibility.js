/* Accessibility fixes for what Material builds in the browser (axe-core found each one;
 * tests/test_browser.py checks every page). */
(function () {
  "use strict";

  /* Code annotation markers get an accessible name. Material turns each `# (1)!` marker into
   * a link whose number is drawn by CSS, so the link has no text for a screen reader
   * (WCAG 2.4.4, 4.1.2; axe rule link-name). "Annotation" is the same word in French. */
  function labelAnnotations() {
    for (const link of document.querySelectorAll("a.md-annotation__index:not([aria-label])")) {
      const number = link.querySelector("[data-md-annotation-id]");
      link.setAttribute("aria-label",
        `Annotation ${number ? number.getAttribute("data-md-annotation-id") : ""}`.trim());
    }
  }

  /* A table too wide for the screen scrolls sideways inside Material's wrapper; keyboard
   * users can only scroll it if it can take focus (WCAG 2.1.1; axe rule
   * scrollable-region-focusable). Only wrappers that do scroll become tab stops. */
  function focusableScrollingTables() {
    for (const wrapper of document.querySelectorAll(".md-typeset__scrollwrap")) {
      if (wrapper.scrollWidth > wrapper.clientWidth) {
        wrapper.setAttribute("tabindex", "0");
      } else {
        wrapper.removeAttribute("tabindex");
      }
    }
  }

  function fix() {
    labelAnnotations();
    focusableScrollingTables();
  }

  fix();
  // Material adds annotations and table wrappers after load; widths change with the window.
  new MutationObserver(labelAnnotations).observe(document.body, { childList: true, subtree: true });
  window.addEventListener("load", fix);
  window.addEventListener("resize", focusableScrollingTables);
})();
