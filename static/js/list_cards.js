// Lists (table.list) become cards on a narrow screen (static/css/app.css): each cell is shown under
// its column's name, which this copies from the table's header into the cell's data-label.
(function () {
  function label(table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) return;
    var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        var name = names[column];
        if (name && cell.tagName === "TD" && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", name);
        column += cell.colSpan || 1;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("table.list").forEach(label);
  });
})();
