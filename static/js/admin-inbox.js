// Inbox lists: "select every row on this page", and a confirmation before actions that ask for one.
document.addEventListener("change", (event) => {
  const all = event.target.closest(".lp-select-all");
  if (!all) return;
  document.querySelectorAll("input.lp-select").forEach((box) => {
    box.checked = all.checked;
  });
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-lp-confirm]");
  if (button && !window.confirm(button.dataset.lpConfirm)) event.preventDefault();
});
