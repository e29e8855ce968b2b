// @mention autocomplete in the composer: typing "@" and letters lists matching technicians (names and usernames);
// arrow keys choose, Enter or Tab inserts "@username ", Escape closes. Without JavaScript, type @username yourself.
(function () {
  const box = document.getElementById("id_composer-body");
  const list = document.getElementById("mention-list");
  const data = document.getElementById("mention-names");
  if (!box || !list || !data || !document.getElementById("mention-status")) return;
  const people = JSON.parse(data.textContent);
  const status = document.getElementById("mention-status");
  let shown = [], active = -1;
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", "mention-list");
  const described = box.getAttribute("aria-describedby");
  box.setAttribute("aria-describedby", described ? described + " mention-help" : "mention-help");
  box.parentNode.insertBefore(list, box.nextSibling);

  function word() {
    const before = box.value.slice(0, box.selectionStart);
    const match = /(^|\s)@([\w.+-]*)$/.exec(before);
    return match ? match[2] : null;
  }
  function close() {
    list.hidden = true; list.replaceChildren(); shown = []; active = -1;
    box.removeAttribute("aria-activedescendant"); status.textContent = "";
  }
  function mark(index) {
    active = index;
    shown.forEach(function (item, i) {
      item.el.setAttribute("aria-selected", i === index ? "true" : "false");
      item.el.classList.toggle("active", i === index);
    });
    if (index >= 0) box.setAttribute("aria-activedescendant", shown[index].el.id);
  }
  function insert(person) {
    const start = box.selectionStart, before = box.value.slice(0, start);
    const at = before.lastIndexOf("@");
    box.value = before.slice(0, at) + "@" + person.username + " " + box.value.slice(start);
    const caret = at + person.username.length + 2;
    box.setSelectionRange(caret, caret);
    close(); box.focus();
  }
  function open(typed) {
    const needle = typed.toLowerCase();
    const found = people.filter(function (p) {
      return p.username.toLowerCase().startsWith(needle) || p.name.toLowerCase().split(" ").some(function (part) {
        return part.startsWith(needle);
      });
    }).slice(0, 6);
    if (!found.length) { close(); return; }
    list.replaceChildren();
    shown = found.map(function (person, i) {
      const el = document.createElement("li");
      el.id = "mention-option-" + i; el.className = "list-group-item list-group-item-action";
      el.setAttribute("role", "option");
      el.textContent = person.name + " (@" + person.username + ")";
      el.addEventListener("mousedown", function (event) { event.preventDefault(); insert(person); });
      list.appendChild(el);
      return { el: el, person: person };
    });
    list.hidden = false; mark(0);
    status.textContent = found.length + (found.length === 1 ? " technician" : " technicians") + " to mention";
  }
  box.addEventListener("input", function () { const typed = word(); if (typed === null) close(); else open(typed); });
  box.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); mark((active + 1) % shown.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); mark((active - 1 + shown.length) % shown.length); }
    else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) { event.preventDefault(); insert(shown[active].person); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  box.addEventListener("blur", close);
})();
