// The what-if planner: add and remove group rows in the browser. The form itself posts to the
// server (htmx) on every change, which re-renders the table and each row's message.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("planner-form");
  const rows = document.getElementById("planner-rows");
  const template = document.getElementById("planner-row-template");
  if (!form || !rows || !template) {
    return;
  }
  let nextKey = Number(rows.dataset.nextKey || 0);

  const refresh = () => {
    if (window.htmx) {
      window.htmx.trigger(form, "change");
    }
  };

  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-planner-add]");
    if (add) {
      event.preventDefault();
      rows.querySelector("[data-planner-empty]")?.remove();
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__key__", String(nextKey)));
      nextKey += 1;
      rows.lastElementChild.querySelector("input[name=group]")?.focus();
      return;
    }
    const remove = event.target.closest("[data-planner-remove]");
    if (remove) {
      event.preventDefault();
      // Hide and disable rather than delete: a response still on its way may carry this
      // row's message (out of band), and htmx reports a missing target as an error.
      const row = remove.closest("[data-planner-row]");
      if (row) {
        row.classList.add("d-none");
        row.querySelectorAll("input, button").forEach((element) => {
          element.disabled = true;
        });
      }
      refresh();
    }
  });
});
