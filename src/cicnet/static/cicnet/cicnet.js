/* cicnet: small progressive enhancements (no build step, no framework).
   - [data-copy] buttons copy their text to the clipboard ("cite this paragraph").
   - The paragraph targeted by the URL fragment is highlighted after htmx or in-page navigation.
   - The search page's query box follows the URL when htmx restores a page from its history
     (its snapshot holds the box as first rendered, not the query typed since).
   - The search filters (a <details>) are open on wide screens; on a phone they stay as the
     reader left them while htmx replaces the results.
   - A search sent by htmx leaves out empty fields and the default sort, so its URL is the
     same short one the server's own links use. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Fallback for plain-http origins (e.g. the demo on 127.0.0.1 in some browsers).
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var text = button.getAttribute("data-copy");
    copyText(text).then(function () {
      var old = button.textContent;
      button.textContent = "Copied";
      button.setAttribute("data-copied", text);
      setTimeout(function () { button.textContent = old; }, 1500);
    });
  });

  document.addEventListener("htmx:historyRestore", function () {
    var q = document.getElementById("q");
    if (!q || !q.form || q.form.id !== "search-form") return;
    var value = new URLSearchParams(window.location.search).get("q") || "";
    q.value = value;
    q.setAttribute("value", value);
  });

  document.addEventListener("htmx:configRequest", function (event) {
    var form = document.getElementById("search-form");
    var params = event.detail.parameters;
    if (!form || !form.contains(event.detail.elt) || !params || !params.forEach) return;
    var drop = [];
    params.forEach(function (value, key) {
      if (value === "" || (key === "sort" && value === "relevance")) drop.push(key);
    });
    drop.forEach(function (key) {
      var kept = params.getAll(key).filter(function (v) {
        return v !== "" && !(key === "sort" && v === "relevance");
      });
      params.delete(key);
      kept.forEach(function (v) { params.append(key, v); });
    });
  });

  var wide = window.matchMedia("(min-width: 821px)");
  var phoneFiltersOpen = null; // what the reader chose on a narrow screen
  function syncFilters() {
    var filters = document.querySelector("details.filters");
    if (!filters) return;
    if (wide.matches) filters.open = true;
    else if (phoneFiltersOpen !== null) filters.open = phoneFiltersOpen;
  }
  document.addEventListener("toggle", function (event) {
    var el = event.target;
    if (!wide.matches && el.matches && el.matches("details.filters")) phoneFiltersOpen = el.open;
  }, true);
  document.addEventListener("DOMContentLoaded", syncFilters);
  // On the swap itself, not only after settling: the new region arrives with the panel closed,
  // and a reader (or a test) looking in the 20 ms before settling found the filters hidden.
  document.addEventListener("htmx:afterSwap", syncFilters);
  document.addEventListener("htmx:afterSettle", syncFilters);
  document.addEventListener("htmx:historyRestore", syncFilters);
  if (wide.addEventListener) wide.addEventListener("change", syncFilters);
})();
