// Page behaviours declared by data attributes, so that templates carry no inline script and the
// Content-Security-Policy can forbid it (issue 12, hole 6).
//   <form data-busy-text="…">          disables its button and shows the text while the upload runs
//   <form data-confirm="…">            asks before submitting
//   <form data-href-template="…KY…" data-field="ky">  navigates to the URL with the field's value
//   <select data-href-template="…/0/…" data-placeholder="/0/">  navigates on change
//   <button data-print>                prints the page
(function () {
  "use strict";
  function fill(template, placeholder, value, wrap) {
    return template.replace(placeholder, wrap[0] + encodeURIComponent(value) + wrap[1]);
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); return; }
    if (form.dataset.hrefTemplate) {
      event.preventDefault();
      var field = form.elements.namedItem(form.dataset.field || "");
      var placeholder = form.dataset.placeholder || "KY";
      window.location.href = fill(form.dataset.hrefTemplate, placeholder, field ? field.value : "", ["", ""]);
      return;
    }
    if (form.dataset.busyText) {
      var button = form.querySelector("button");
      if (button) { button.disabled = true; button.textContent = form.dataset.busyText; }
    }
  });
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.dataset.hrefTemplate) return;
    var placeholder = select.dataset.placeholder || "/0/";
    window.location.href = fill(select.dataset.hrefTemplate, placeholder, select.value, ["/", "/"]);
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target instanceof Element && target.closest("[data-print]")) window.print();
  });
})();
