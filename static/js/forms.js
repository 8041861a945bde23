// What every form of the site shares (templates/federation/_form_errors.html, _field.html):
// - a page that comes back with errors moves the focus to the error summary at its top, so that a
//   screen reader reads it and the person sees it without scrolling;
// - a formset (data-formset="prefix", e.g. the household members of a hardship file) gets a button
//   that adds one more row from its <template data-formset-template="prefix">, up to
//   data-formset-max; the server checks the rows again (Django's formset, validate_max).
// The words come from the page, so this file holds no text of its own.
(function () {
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  function formset(container) {
    var prefix = container.getAttribute("data-formset");
    var template = document.querySelector('template[data-formset-template="' + prefix + '"]');
    var button = document.querySelector('[data-formset-add="' + prefix + '"]');
    var total = document.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    if (!template || !button || !total) return;
    var max = parseInt(container.getAttribute("data-formset-max"), 10) || 1000;
    function refresh() {
      button.hidden = parseInt(total.value, 10) >= max;
    }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (index >= max) return;
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__num__/g, String(index + 1));
      container.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var rows = container.querySelectorAll("fieldset");
      var first = rows[rows.length - 1].querySelector("input, select, textarea");
      if (first) first.focus();
      refresh();
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusSummary();
    document.querySelectorAll("[data-formset]").forEach(formset);
  });
})();
