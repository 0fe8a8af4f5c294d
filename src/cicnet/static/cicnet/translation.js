// The translation workspace: "Use" copies a translation-memory suggestion into the paragraph's
// text box (the translator then edits and saves it). Delegated, so it survives htmx swaps.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-use-memory]");
  if (!button) return;
  const box = document.getElementById(button.dataset.useMemory);
  if (!box) return;
  box.value = button.dataset.memoryText;
  box.focus();
});
