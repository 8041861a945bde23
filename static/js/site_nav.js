// On a narrow screen the main navigation folds behind a 「菜单」 button (templates/base.html); the
// signed-in user stays in sight beside it. Without this script the navigation simply wraps onto
// more lines (static/css/app.css), so nothing is ever out of reach.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".nav-toggle");
    if (!toggle) return;
    header.classList.add("nav-collapsible");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
})();
