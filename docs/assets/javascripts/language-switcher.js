/* The language switcher keeps the reader's place.
 *
 * Each entry of Material's language menu links to the counterpart page (mkdocs-static-i18n
 * writes them), and both languages use the same heading ids, so carrying the current #anchor
 * over lands the reader on the same section in the other language.
 */
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest("a.md-select__link[hreflang]");
  if (link && location.hash) {
    link.hash = location.hash;
  }
}, true);
