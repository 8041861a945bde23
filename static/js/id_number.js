// The fields that hold a 居民身份证 number (federation/input_hints.py: data-id-number, the digit
// keypad on a phone):
// - an 「X」 button beside the field types the check character X, which the digit keypad lacks;
// - when the form also asks 出生日期 and 性别 (新增会员) and they are empty, they are filled from
//   the number as it is typed: digits 7–14 are the birth date, the 17th is odd for men.
// Only a convenience: the server fills and checks both the same way (members.models.membership.
// identity_from_resident_id), whatever this script did. Another kind of document (the 证件类型
// select) gets the full keyboard back and no X button. No text of its own: the button's name is
// the field's data-x-label.
(function () {
  var SHAPE = /^[1-9]\d{16}[\dX]$/;

  function birthDate(number) {
    var y = +number.slice(6, 10), m = +number.slice(10, 12), d = +number.slice(12, 14);
    var day = new Date(Date.UTC(y, m - 1, d));
    if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return "";
    return number.slice(6, 10) + "-" + number.slice(10, 12) + "-" + number.slice(12, 14);
  }

  function setup(input) {
    var form = input.form;
    if (!form) return;
    var idType = form.querySelector('select[name="id_type"]');
    var born = form.querySelector('input[name="birth_date"]');
    var gender = form.querySelector('select[name="gender"]');

    var button = document.createElement("button");
    button.type = "button";
    button.className = "button small id-x";
    button.textContent = "X";
    button.setAttribute("aria-label", input.getAttribute("data-x-label") || "X");
    button.addEventListener("click", function () {
      input.value = input.value.replace(/[xX]$/, "") + "X";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.focus();
    });
    input.insertAdjacentElement("afterend", button);

    function resident() {
      return !idType || idType.value === "resident_id";
    }
    function onType() {
      var isResident = resident();
      input.setAttribute("inputmode", isResident ? "numeric" : "text");
      if (isResident) input.setAttribute("pattern", "[0-9]{17}[0-9Xx]");
      else input.removeAttribute("pattern");
      button.hidden = !isResident;
    }
    function fill() {
      if (!resident()) return;
      var number = input.value.replace(/\s/g, "").toUpperCase();
      if (!SHAPE.test(number)) return;
      var day = birthDate(number);
      if (born && day && (!born.value || born.hasAttribute("data-from-id"))) {
        born.value = day;
        born.setAttribute("data-from-id", "");
      }
      if (gender && (!gender.value || gender.hasAttribute("data-from-id"))) {
        gender.value = +number.charAt(16) % 2 ? "M" : "F";
        gender.setAttribute("data-from-id", "");
      }
    }
    // A value the person typed themselves is theirs: the script no longer overwrites it.
    [born, gender].forEach(function (field) {
      if (field) field.addEventListener("change", function () { field.removeAttribute("data-from-id"); });
    });
    input.addEventListener("input", fill);
    if (idType) idType.addEventListener("change", onType);
    onType();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-id-number]").forEach(setup);
  });
})();
