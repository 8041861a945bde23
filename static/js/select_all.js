// A "全选" box (data-select-all="<name>") ticks or clears every box of that name in its table.
document.addEventListener("change", function (event) {
  var name = event.target.getAttribute && event.target.getAttribute("data-select-all");
  if (!name) {
    return;
  }
  var table = event.target.closest("table");
  var boxes = (table || document).querySelectorAll('input[type="checkbox"][name="' + name + '"]');
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].checked = event.target.checked;
  }
});
