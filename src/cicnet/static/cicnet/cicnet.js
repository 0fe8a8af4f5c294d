/* cicnet: small progressive enhancements (no build step, no framework).
   - [data-copy] buttons copy their text to the clipboard ("cite this paragraph").
   - The paragraph targeted by the URL fragment is highlighted after htmx or in-page navigation. */
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
})();
