// Every textarea with a length limit shows how much of it is used (已输入 120 / 5000 字), live, and
// turns the count red at the limit. The words come from the page (data-char-count on <body>, through
// gettext), so this file holds no text of its own.
(function () {
  function counter(area) {
    var max = parseInt(area.getAttribute("maxlength"), 10);
    if (!max) return;
    var template = document.body.getAttribute("data-char-count") || "{n} / {max}";
    var shown = document.createElement("div");
    shown.className = "help char-count";
    shown.setAttribute("aria-live", "polite");
    if (area.id) shown.id = area.id + "_count";
    area.insertAdjacentElement("afterend", shown);
    function update() {
      var n = area.value.length;
      shown.textContent = template.replace("{n}", n).replace("{max}", max);
      shown.classList.toggle("at-limit", n >= max);
    }
    area.addEventListener("input", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[maxlength]").forEach(counter);
  });
})();
