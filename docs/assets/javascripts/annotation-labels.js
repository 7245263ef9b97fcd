/* Code annotation markers get an accessible name.
 *
 * Material turns each `# (1)!` marker into a link whose number is drawn by CSS, so the link
 * has no text for a screen reader (WCAG 2.4.4, 4.1.2; axe-core rule link-name). The markers
 * are created by Material's scripts after the page loads, hence the observer.
 * "Annotation" is the same word in English and French.
 */
(function () {
  "use strict";
  function label(root) {
    for (const link of root.querySelectorAll("a.md-annotation__index:not([aria-label])")) {
      const number = link.querySelector("[data-md-annotation-id]");
      link.setAttribute("aria-label",
        `Annotation ${number ? number.getAttribute("data-md-annotation-id") : ""}`.trim());
    }
  }
  label(document);
  new MutationObserver(() => label(document)).observe(document.body, { childList: true, subtree: true });
})();
