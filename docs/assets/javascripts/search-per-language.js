/* Search results in the language of the page.
 *
 * mkdocs-static-i18n builds one search index holding every language (English pages at the
 * root, French ones under fr/), so a French query could list English pages and the other way
 * round. Material hands that index to its search worker in a "setup" message
 * ({type: 0, data: index}); this wrapper keeps only the pages of the current language in that
 * message and gives the worker this language's stemmer alone. Loaded before Material's bundle,
 * which creates the worker. The languages come from #__search_languages (overrides/main.html).
 */
(function () {
  "use strict";
  const SETUP = 0; // Material's SearchMessageType.SETUP
  const languages = JSON.parse(document.getElementById("__search_languages").textContent);
  // A language's pages live in "<locale>/", the default language's at the root.
  const otherFolders = languages.all
    .filter((locale) => locale !== languages.default)
    .map((locale) => `${locale}/`);

  function inCurrentLanguage(location) {
    if (languages.current !== languages.default) {
      return location.startsWith(`${languages.current}/`);
    }
    return !otherFolders.some((folder) => location.startsWith(folder));
  }

  const MaterialWorker = window.Worker;
  window.Worker = class extends MaterialWorker {
    postMessage(message, ...rest) {
      if (message && message.type === SETUP && message.data && Array.isArray(message.data.docs)) {
        const index = message.data;
        message = {
          ...message,
          data: {
            ...index,
            config: { ...index.config, lang: [languages.current] },
            docs: index.docs.filter((doc) => inCurrentLanguage(doc.location)),
          },
        };
      }
      super.postMessage(message, ...rest);
    }
  };
})();
