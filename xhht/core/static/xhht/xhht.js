/* Page behaviour shared by every screen, bound by data attributes (no inline script: the CSP forbids it).
   data-busy="…"       on a form: disable its button and show the text while the server works
   data-confirm="…"    on a form or button: ask before doing what the text says
   data-print          on a button: print the page
   data-go="…/0/"      on a select: go to the address with /0/ replaced by the chosen value
   data-go-path="…KY…" on a GET form: go to the address with KY replaced by the field named in data-go-field */
(function () {
  "use strict";
  // The menu is a <details>: folded on a phone (no script needed), always unfolded on a wider screen.
  var menu = document.getElementById("site-menu");
  var wide = window.matchMedia("(min-width: 761px)");
  function fit() { if (menu) { menu.open = wide.matches; } }
  fit();
  if (wide.addEventListener) { wide.addEventListener("change", fit); }
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var ask = (e.submitter && e.submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (ask && !window.confirm(ask)) { e.preventDefault(); return; }
    var path = form.getAttribute("data-go-path");
    if (path) {
      e.preventDefault();
      var field = form.elements[form.getAttribute("data-go-field") || "ky"];
      window.location.href = path.replace("KY", encodeURIComponent(field.value.trim()));
      return;
    }
    var busy = form.getAttribute("data-busy");
    if (busy) {
      var b = form.querySelector("button[type=submit], button:not([type])");
      if (b) { window.setTimeout(function () { b.disabled = true; b.textContent = busy; }, 0); }
    }
  });
  document.addEventListener("click", function (e) {
    var t = e.target.closest ? e.target.closest("[data-print]") : null;
    if (t) { window.print(); }
  });
  document.addEventListener("change", function (e) {
    var go = e.target.getAttribute && e.target.getAttribute("data-go");
    if (go) { window.location.href = go.replace("/0/", "/" + encodeURIComponent(e.target.value) + "/"); }
  });
})();
