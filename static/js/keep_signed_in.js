// "Keep me signed in on this device" beside the district sign-in link: ticking it adds keep_signed_in=yes to the
// link, and the sign-in view keeps the choice for the callback. It cannot be a form: browsers apply the policy's
// form-action 'self' to the redirect that follows a form, and that redirect goes to the district's provider.
// Without JavaScript the box stays hidden and the session ends when the browser closes.
(function () {
  for (const box of document.querySelectorAll("input[data-keeps-link]")) {
    const link = document.getElementById(box.dataset.keepsLink);
    if (!link) continue;
    const follow = function () {
      const url = new URL(link.href);
      if (box.checked) url.searchParams.set("keep_signed_in", "yes");
      else url.searchParams.delete("keep_signed_in");
      link.href = url.toString();
    };
    box.addEventListener("change", follow);
    follow(); // a box the browser ticked again after Back
    box.closest("[hidden]")?.removeAttribute("hidden");
  }
})();
