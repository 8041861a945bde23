// Quoting a grassroots union's passage into the federation's summary (reports/draft_form.html,
// #union-quotes): the button's data-quote text is added as a new paragraph at the end of the field
// its select names, which then tells the live preview (an input event) and takes the focus. Nothing
// is saved until staff press 保存. No text of its own: the status words are the page's.
(function () {
  function quote(button) {
    var select = document.getElementById(button.getAttribute("data-quote-target"));
    var field = select && document.getElementById(select.value);
    if (!field) return;
    var text = button.getAttribute("data-quote") || "";
    var current = field.value.replace(/\s+$/, "");
    field.value = current ? current + "\n" + text : text;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.focus();
    field.scrollIntoView({ block: "center" });
    var status = document.getElementById("quote-status");
    var label = select.options[select.selectedIndex];
    if (status && label) status.textContent = (status.getAttribute("data-done") || "") + label.textContent;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("union-quotes");
    if (!panel) return;
    panel.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-quote]");
      if (button) quote(button);
    });
  });
})();
