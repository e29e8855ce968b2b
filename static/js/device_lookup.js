// The ticket form's Asset tag or serial: a USB barcode scanner types the number and presses Enter. Enter here looks
// the number up (htmx, devices:lookup) instead of submitting a half-filled form; the person then goes on typing.
(function () {
  const field = document.getElementById("id_device_tag");
  if (!field) return;
  field.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    field.dispatchEvent(new Event("device-lookup"));
  });
})();
