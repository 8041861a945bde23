// The progress bar of an import: polls the batch's JSON status and reloads the page when done.
// Without JavaScript the page refreshes itself (a meta refresh inside <noscript>).
(function () {
  "use strict";
  var panel = document.querySelector("[data-status-url]");
  if (!panel) { return; }
  var url = panel.getAttribute("data-status-url");
  var bar = panel.querySelector("progress");
  var text = panel.querySelector("[data-progress-text]");
  var label = document.getElementById("import-status");
  var format = panel.getAttribute("data-progress-format") || "{done} / {total}";
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.finished) { window.location.reload(); return; }
        if (bar) { bar.value = data.percent; bar.textContent = data.percent + "%"; }
        if (text && data.total) { text.textContent = format.replace("{done}", data.done).replace("{total}", data.total); }
        if (label) { label.textContent = data.label; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 700);
})();
