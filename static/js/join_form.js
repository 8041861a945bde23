// The public 入会申请 form (members/applications/public_form.html): the ID number is checked as it is
// typed — length, shape, birth date, GB 11643 check digit — and 性别 / 出生日期 are shown from it.
// Only a help: the server checks the same (federation.identifiers.validate_resident_id) whatever this
// script says. No text of its own: the messages are the page's (data-* of #id_number_check).
(function () {
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";

  function birth(number) {
    var y = +number.slice(6, 10), m = +number.slice(10, 12), d = +number.slice(12, 14);
    var day = new Date(Date.UTC(y, m - 1, d));
    if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return "";
    if (y < 1900 || day.getTime() > Date.now()) return "";
    return number.slice(6, 10) + "-" + number.slice(10, 12) + "-" + number.slice(12, 14);
  }

  function expected(number) {
    var total = 0;
    for (var i = 0; i < 17; i++) total += (+number.charAt(i)) * WEIGHTS[i];
    return CHECK.charAt(total % 11);
  }

  // [message key, {params}] for a typed number; "" while it is still short and may be right.
  function verdict(number, done) {
    if (number.length < 18) return done ? ["length", { n: number.length }] : null;
    if (number.length > 18) return ["length", { n: number.length }];
    if (!/^[1-9]\d{16}[\dX]$/.test(number)) return ["shape", {}];
    if (!birth(number)) return ["birth", {}];
    var want = expected(number);
    if (number.charAt(17) !== want) return ["check", { expected: want }];
    return ["ok", {}];
  }

  function setup(input) {
    var out = document.getElementById("id_number_check");
    var gender = document.getElementById("derived-gender");
    var born = document.getElementById("derived-birth");
    if (!out) return;

    function show(done) {
      var number = input.value.replace(/\s/g, "").toUpperCase();
      var result = number ? verdict(number, done) : null;
      out.className = "id-check";
      out.textContent = "";
      if (gender) gender.textContent = "—";
      if (born) born.textContent = "—";
      if (!result) return;
      var text = out.getAttribute("data-" + result[0]) || "";
      Object.keys(result[1]).forEach(function (key) { text = text.replace("{" + key + "}", result[1][key]); });
      out.textContent = text;
      out.classList.add(result[0] === "ok" ? "ok" : "bad");
      if (result[0] === "ok") {
        if (gender) gender.textContent = gender.getAttribute(+number.charAt(16) % 2 ? "data-male" : "data-female");
        if (born) born.textContent = birth(number);
      }
    }
    input.addEventListener("input", function () { show(false); });
    input.addEventListener("blur", function () { show(true); });
    show(false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-check-id]").forEach(setup);
  });
})();
