// A form that creates something (it carries a one-time submission_key) is sent once: a second click while the
// first is on its way does nothing. The server's key is the real guarantee (a resubmit, a retry, no JavaScript);
// this only spares the second request and shows that the first one is going.
(function () {
  const sending = "sending";
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (event.defaultPrevented || !form.querySelector("input[name=submission_key]")) return;
    if (form.dataset.state === sending) {
      event.preventDefault();
      return;
    }
    // Marked, not disabled: a disabled button would drop its own name and value (duplicate_choice) from the form.
    form.dataset.state = sending;
    for (const button of form.querySelectorAll("button[type=submit]")) {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("disabled");
    }
  });
  // Back to a page the browser kept in memory: its forms can be sent again.
  window.addEventListener("pageshow", function () {
    for (const form of document.querySelectorAll("form[data-state=sending]")) {
      delete form.dataset.state;
      for (const button of form.querySelectorAll("button[type=submit]")) {
        button.removeAttribute("aria-disabled");
        button.classList.remove("disabled");
      }
    }
  });
})();
