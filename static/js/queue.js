// The queue's bulk bar: hidden until a ticket is ticked, and showing only the field the chosen action needs.
// Without this script the bar stays visible with every field, and the server checks what each action needs.
(function () {
  const bar = document.getElementById("bulk-bar");
  const form = document.getElementById("bulk-form");
  if (!bar || !form) return;
  const action = form.querySelector("[name=action]");
  const count = document.getElementById("bulk-count");
  const needs = { assign: "assignee", status: "status", priority: "priority", close: "message" };

  function showFields() {
    bar.querySelectorAll("[data-bulk-field]").forEach((wrapper) => {
      const name = wrapper.dataset.bulkField;
      wrapper.hidden = name !== "action" && needs[action.value] !== name;
    });
  }

  function showBar() {
    const ticked = form.querySelectorAll("input[name=tickets]:checked").length;
    bar.hidden = ticked === 0;
    count.textContent = `With ${ticked} ticked ticket${ticked === 1 ? "" : "s"}:`;
  }

  form.addEventListener("change", (event) => {
    if (event.target === action) showFields();
    if (event.target.name === "tickets") showBar();
  });
  showFields();
  showBar();
})();
