// The public ticket form after the server answered it, and while the routing note changes as the person types.
// - After a submit that did not make a ticket, focus goes where the person must act: the routing note, the
//   duplicate choice, or the error summary (screen readers announce it; on a phone it is scrolled into view).
// - While a routing note is shown, its hand-on (Send this to ... for me) is the one primary action: the form's
//   Submit steps back to a secondary button until "My request is different" is ticked.
(function () {
  const target = document.querySelector("[data-focus-on-load]");
  if (target) {
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  }

  // "Did you mean …?" as a button: it puts the suggested address in the field and says so.
  for (const button of document.querySelectorAll("button[data-fix-field]")) {
    button.addEventListener("click", function () {
      const field = document.getElementById(button.dataset.fixField);
      if (!field) return;
      field.value = button.dataset.fixValue;
      const done = document.createElement("span");
      done.setAttribute("role", "status");
      done.textContent = "Changed to " + button.dataset.fixValue + ".";
      button.replaceWith(done);
      field.focus();
    });
  }

  const panel = document.getElementById("routing-panel");
  const submit = document.getElementById("ticket-submit"); // absent at the duplicate step
  if (!panel || !submit) return;
  const showSubmitAs = function () {
    const override = document.getElementById("id_routing_override");
    const secondary = panel.querySelector(".routing-panel") !== null && !(override && override.checked);
    submit.classList.toggle("btn-primary", !secondary);
    submit.classList.toggle("btn-lg", !secondary);
    submit.classList.toggle("btn-outline-secondary", secondary);
  };
  showSubmitAs();
  panel.addEventListener("change", showSubmitAs);
  document.body.addEventListener("htmx:afterSwap", showSubmitAs);
})();
