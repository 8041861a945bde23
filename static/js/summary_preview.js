// The live preview beside the summary's editor (reports/draft_form.html): the form's text is posted
// to the preview URL (data-preview-url), which answers the document as it would read, rendered on
// the server; it replaces the preview's content. Asked on "刷新预览" and while typing, half a second
// after the last key. An answer overtaken by a newer request is dropped. No text of its own: the
// status words are the page's (data-* attributes on #preview-status).
(function () {
  var DELAY = 500;

  function setUp(form) {
    var url = form.getAttribute("data-preview-url");
    var target = document.getElementById("summary-preview");
    var status = document.getElementById("preview-status");
    var button = document.getElementById("preview-refresh");
    if (!url || !target) return;
    var timer = null;
    var latest = 0;

    function refresh() {
      var asked = ++latest;
      form.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          return response.text().then(function (html) {
            return { ok: response.ok, html: html };
          });
        })
        .then(function (answer) {
          if (asked !== latest) return;
          // Server-rendered and escaped by Django's templates.
          target.innerHTML = answer.html;
          form.removeAttribute("aria-busy");
          if (status) status.textContent = status.getAttribute(answer.ok ? "data-done" : "data-invalid") || "";
        })
        .catch(function () {
          if (asked !== latest) return;
          form.removeAttribute("aria-busy");
          if (status) status.textContent = status.getAttribute("data-failed") || "";
        });
    }

    function later() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(refresh, DELAY);
    }

    form.addEventListener("input", later);
    if (button) button.addEventListener("click", refresh);
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("summary-draft-form");
    if (form) setUp(form);
  });
})();
