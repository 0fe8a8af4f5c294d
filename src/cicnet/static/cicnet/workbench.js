/* cicnet anonymisation workbench: click a span to accept, reject or split it; select text in a
   paragraph to mask it. Offsets are counted in the paragraph's text, which is the original
   paragraph body exactly (the marks only wrap parts of it). No build step, no framework. */
(function () {
  "use strict";

  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function show(id) {
    ["wb-selected", "wb-add"].forEach(function (other) {
      var el = document.getElementById(other);
      if (el) el.hidden = other !== id;
    });
    return document.getElementById(id);
  }

  document.addEventListener("click", function (event) {
    var mark = event.target.closest(".wb-body mark[data-mention]");
    if (!mark) return;
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    var panel = show("wb-selected");
    panel.querySelector("[data-field=text]").textContent = mark.textContent;
    panel.querySelector("[data-field=label]").textContent =
      mark.getAttribute("data-label") + " · " + mark.getAttribute("data-status");
    var anchor = mark.closest("li").id;
    panel.querySelectorAll("input[name=mention]").forEach(function (input) {
      input.value = mark.getAttribute("data-mention");
    });
    panel.querySelectorAll("input[name=anchor]").forEach(function (input) { input.value = anchor; });
  });

  document.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    var range = selection.getRangeAt(0);
    var start = range.startContainer.parentElement && range.startContainer.parentElement.closest(".wb-body");
    var end = range.endContainer.parentElement && range.endContainer.parentElement.closest(".wb-body");
    if (!start || start !== end) return; /* a span lies within one paragraph */
    var from = offsetIn(start, range.startContainer, range.startOffset);
    var to = offsetIn(start, range.endContainer, range.endOffset);
    if (to <= from) return;
    var panel = show("wb-add");
    panel.querySelector("[data-field=selection]").textContent = "“" + range.toString() + "”";
    var form = panel.querySelector("form");
    form.elements.text.value = start.getAttribute("data-text");
    form.elements.paragraph.value = start.getAttribute("data-paragraph");
    form.elements.start.value = from;
    form.elements.end.value = to;
    form.elements.anchor.value = start.closest("li").id;
    Array.prototype.forEach.call(form.elements.entity.options, function (option) {
      var text = option.getAttribute("data-text");
      option.hidden = text !== null && text !== start.getAttribute("data-text");
    });
  });
})();
