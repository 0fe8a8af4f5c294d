// Evidence upload: hashes the file with SHA-256 while sending it in chunks, then asks the
// server to compare its own hash with ours. Uses the vendored js-sha256 (incremental: the file
// is never held in memory whole; WebCrypto's digest() is one-shot). Protocol: docs/evidence.md.
(function () {
  "use strict";

  var MAX_TRIES = 5;

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function mb(n) {
    return (n / 1048576).toFixed(1) + " MB";
  }

  async function json(response) {
    try { return await response.json(); } catch (e) { return { error: "the server answered " + response.status }; }
  }

  async function sendChunk(url, token, offset, buffer) {
    // Retries a failed chunk; after a network error it asks the server how much arrived.
    for (var attempt = 1; attempt <= MAX_TRIES; attempt++) {
      try {
        var response = await fetch(url + "?offset=" + offset, {
          method: "PUT",
          headers: { "X-CSRFToken": token, "Content-Type": "application/octet-stream" },
          body: buffer,
          credentials: "same-origin",
        });
        var body = await json(response);
        if (response.ok) return body.received;
        if (response.status === 409 && body.received === offset + buffer.byteLength) return body.received;
        if (response.status < 500 && response.status !== 409) throw new Error(body.error || ("HTTP " + response.status));
      } catch (error) {
        if (attempt === MAX_TRIES || !(error instanceof TypeError)) throw error;
      }
      await sleep(500 * attempt);
      var status = await fetch(url, { credentials: "same-origin" });
      if (status.ok) {
        var seen = await status.json();
        if (seen.received === offset + buffer.byteLength) return seen.received;
      }
    }
    throw new Error("the chunk at byte " + offset + " could not be sent");
  }

  // The same file twice: when a file is chosen, the browser hashes it (in pieces, like the
  // upload) and compares it with the SHA-256 of the items already listed on the page. A match
  // shows a warning, and the upload waits until "Add it again anyway" is ticked.
  async function hashFile(file, chunk) {
    var hasher = sha256.create();
    for (var offset = 0; offset < file.size; offset += chunk) {
      hasher.update(await file.slice(offset, Math.min(offset + chunk, file.size)).arrayBuffer());
    }
    return hasher.hex();
  }

  function existingItem(digest) {
    var rows = document.querySelectorAll("tr[data-item-sha256]");
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].dataset.itemSha256 === digest) return rows[i].dataset.itemUid;
    }
    return "";
  }

  async function checkDuplicate(form) {
    var warning = form.querySelector("[data-duplicate-warning]");
    var confirm = form.querySelector("[data-duplicate-confirm]");
    var file = form.querySelector("input[type=file]").files[0];
    warning.hidden = true;
    confirm.checked = false;
    form.dataset.duplicateOf = "";
    if (!file) return;
    var digest = await hashFile(file, 4 * 1048576);
    var uid = existingItem(digest);
    if (!uid) return;
    form.dataset.duplicateOf = uid;
    warning.querySelector("[data-duplicate-text]").textContent =
      "file: " + file.name + " is the same file as " + uid + " (same SHA-256 " + digest +
      "). Adding it again makes a second item with the same content.";
    warning.hidden = false;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches("[data-evidence-upload] input[type=file]")) return;
    var form = input.closest("form");
    form.duplicateCheck = checkDuplicate(form);
  });

  async function upload(form) {
    if (form.duplicateCheck) await form.duplicateCheck;
    if (form.dataset.duplicateOf && !form.querySelector("[data-duplicate-confirm]").checked) {
      form.querySelector("[data-upload-status]").textContent =
        "file: this file is already " + form.dataset.duplicateOf +
        "; tick \u201cAdd it again anyway\u201d or choose another file.";
      return;
    }
    var status = form.querySelector("[data-upload-status]");
    var progress = form.querySelector("[data-upload-progress]");
    var cancel = form.querySelector("[data-upload-cancel]");
    var submit = form.querySelector("button[type=submit]");
    var input = form.querySelector("input[type=file]");
    var file = input.files[0];
    if (!file) { status.textContent = "file: choose a file first."; return; }
    var token = csrf(form);
    var fields = new FormData(form);
    fields.append("filename", file.name);
    fields.append("size", String(file.size));
    submit.disabled = true;
    status.textContent = "Checking the description…";
    var start = await fetch(form.dataset.uploadUrl, {
      method: "POST", body: fields, headers: { "X-CSRFToken": token }, credentials: "same-origin",
    });
    var started = await json(start);
    if (!start.ok) { status.textContent = started.error; submit.disabled = false; return; }
    var cancelled = false;
    cancel.hidden = false;
    cancel.onclick = function () { cancelled = true; };
    progress.hidden = false;
    var hasher = sha256.create();
    var offset = 0;
    var chunk = started.chunk_bytes;
    try {
      while (offset < file.size) {
        if (cancelled) throw new Error("cancelled");
        var buffer = await file.slice(offset, Math.min(offset + chunk, file.size)).arrayBuffer();
        hasher.update(buffer);
        offset = await sendChunk(started.chunk_url, token, offset, buffer);
        progress.value = Math.floor((100 * offset) / file.size);
        status.textContent = "Hashing and sending " + file.name + ": " + mb(offset) + " of " + mb(file.size);
      }
      var digest = hasher.hex();
      status.textContent = "Sent. Your browser computed SHA-256 " + digest + "; the server is checking it…";
      var done = await fetch(started.complete_url, {
        method: "POST",
        headers: { "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded" },
        body: "sha256=" + digest,
        credentials: "same-origin",
      });
      var item = await json(done);
      if (!done.ok) throw new Error(item.error);
      status.textContent = item.uid + " received and verified (SHA-256 " + item.sha256 + ").";
      window.location.reload();
    } catch (error) {
      await fetch(started.chunk_url, { method: "DELETE", headers: { "X-CSRFToken": token }, credentials: "same-origin" });
      status.textContent = (error.message === "cancelled" ? "Upload cancelled; nothing was kept." : error.message + " Nothing was kept; try again.");
      submit.disabled = false;
      cancel.hidden = true;
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-evidence-upload]")) return;
    event.preventDefault();
    upload(form);
  });
})();
