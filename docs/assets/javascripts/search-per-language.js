/* Search in the language of the page, with its index fetched only when the reader searches.
 *
 * 1. The index of the page's language. overrides/hooks/search_index.py writes one index per
 *    language (English at search/search_index.json, French at fr/search/search_index.json).
 *    Material always asks for the one at the site's root; its request is sent to the page
 *    language's index instead.
 * 2. Only when needed. Material fetches the index on every page load, though most readers
 *    never search (274 kB for both languages on a slow VPN). The request is held until the
 *    reader opens the search (focus on the search field, its keyboard shortcuts, the search
 *    button on small screens), or at once on a page opened from a search result (`?h=`, whose
 *    words Material highlights with the index).
 * 3. Results of the page's language only, whichever index arrives: Material hands the index
 *    to its search worker in a "setup" message ({type: 0, data: index}); this wrapper keeps
 *    only the pages of the current language in that message and gives the worker this
 *    language's stemmer alone.
 *
 * Loaded before Material's bundle, which makes the request and creates the worker. The
 * languages come from #__search_languages (overrides/main.html).
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

  // 1 and 2: the index request.
  const INDEX = "search/search_index.json";
  const folder = languages.current === languages.default ? "" : `${languages.current}/`;
  let searching = new URLSearchParams(location.search).has("h");
  const held = [];
  function startSearching() {
    if (searching) return;
    searching = true;
    held.splice(0).forEach((send) => send());
  }
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches("[data-md-component=search-query]")) {
      startSearching();
    }
  });
  document.addEventListener("change", (event) => {
    if (event.target instanceof Element && event.target.matches("[data-md-toggle=search]")) {
      startSearching();
    }
  });
  document.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("label[for=__search]")) {
      startSearching();
    }
  }, true);

  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    const target = new URL(String(url), location.href);
    if (target.origin === location.origin && target.pathname.endsWith(`/${INDEX}`)) {
      const root = target.pathname.slice(0, -INDEX.length);
      if (!folder || !root.endsWith(`/${folder}`)) {
        target.pathname = `${root}${folder}${INDEX}`;
      }
      this.__searchIndex = true;
      return open.call(this, method, target.href, ...rest);
    }
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.__searchIndex && !searching) {
      held.push(() => send.apply(this, args));
      return undefined;
    }
    return send.apply(this, args);
  };

  // 3: the worker's setup message.
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
