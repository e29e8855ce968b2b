// With JavaScript, choosing a canned response adds it to the reply in place, so nothing already typed is lost.
// Without JavaScript, the "Insert into reply" button reloads the page with the response filled in.
(function () {
  const select = document.getElementById("canned");
  const reply = document.getElementById("id_composer-body");
  if (!select || !reply) return;
  select.addEventListener("change", function () {
    const option = select.options[select.selectedIndex];
    const body = option && option.dataset.body;
    if (!body) return;
    reply.value = reply.value.trim() ? reply.value.trimEnd() + "\n\n" + body : body;
    reply.focus();
    select.selectedIndex = 0;
  });
})();
