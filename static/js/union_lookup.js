/* Union Ledger: search-as-you-type for the union fields (unions.lookup). Our own small script.
 *
 * Markup (unions/widgets/union_lookup.html): a wrapper with data-union-lookup="<endpoint URL>",
 * a text input (role=combobox), a hidden input carrying the chosen id, a listbox and a live region.
 * Typing clears the id (the server then resolves an exact name or credit code itself); choosing an
 * option by mouse, touch or keyboard (arrows, Enter; Escape closes) sets both inputs. With
 * data-multiple="<name>" (unions/widgets/union_multi_lookup.html) a choice is added instead as a
 * ticked checkbox of that name, and the text input is emptied for the next one.
 */
(function () {
  "use strict";

  var DELAY_MS = 200;

  function setup(root) {
    var input = root.querySelector('input[type="text"]');
    var hidden = root.querySelector('input[type="hidden"]');
    var multiple = root.getAttribute("data-multiple");
    var chosen = root.querySelector(".union-lookup-chosen");
    var list = root.querySelector('[role="listbox"]');
    var status = root.querySelector("[aria-live]");
    var url = root.getAttribute("data-union-lookup");
    var options = [];
    var active = -1;
    var timer = null;
    var serial = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function add(id, name) {
      var boxes = chosen.querySelectorAll('input[type="checkbox"]');
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].value === id) {
          boxes[i].checked = true;
          return;
        }
      }
      var item = document.createElement("li");
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = multiple;
      box.value = id;
      box.checked = true;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + name));
      item.appendChild(label);
      chosen.appendChild(item);
    }

    function choose(li) {
      if (multiple) {
        add(li.getAttribute("data-id"), li.getAttribute("data-name"));
        input.value = "";
      } else {
        input.value = li.getAttribute("data-name");
        hidden.value = li.getAttribute("data-id");
      }
      close();
    }

    function show(results) {
      list.textContent = "";
      options = results.map(function (union, i) {
        var li = document.createElement("li");
        li.id = list.id + "_" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-id", union.id);
        li.setAttribute("data-name", union.name);
        li.textContent = union.name;
        if (union.federation) {
          var small = document.createElement("span");
          small.className = "muted";
          small.textContent = union.federation;
          li.appendChild(small);
        }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          choose(li);
        });
        list.appendChild(li);
        return li;
      });
      // The words come translated from the template (data-found, data-none).
      status.textContent = results.length
        ? results.length + " " + root.getAttribute("data-found")
        : root.getAttribute("data-none");
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(-1);
      } else {
        close();
      }
    }

    function search() {
      var mine = ++serial;
      var separator = url.indexOf("?") < 0 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(input.value.trim()), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine === serial && document.activeElement === input) show(data.results || []);
        })
        .catch(function () {
          close();
        });
    }

    input.addEventListener("input", function () {
      if (hidden) hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    input.addEventListener("focus", function () {
      if (!input.value) search();
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && options.length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          search();
        } else {
          highlight((active + 1) % options.length);
        }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(options[active]);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-union-lookup]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
