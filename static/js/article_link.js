// Insert article link: choosing a help article adds its public link to the reply in place, so nothing typed is
// lost. Without JavaScript, the "Insert article link" button reloads the page with the link filled in.
(function () {
  const select = document.getElementById("article-link");
  const reply = document.getElementById("id_composer-body");
  if (!select || !reply) return;
  select.addEventListener("change", function () {
    const option = select.options[select.selectedIndex];
    const text = option && option.dataset.body;
    if (!text) return;
    reply.value = reply.value.trim() ? reply.value.trimEnd() + "\n\n" + text : text;
    reply.focus();
    select.selectedIndex = 0;
  });
})();
