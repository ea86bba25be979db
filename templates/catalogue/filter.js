/* Filters the catalogue's rows in the browser: no server, no library. The form stays hidden
   without JavaScript, when every row is shown anyway. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var shown = document.getElementById("shown");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#texts tbody tr"));
  var words = rows.map(function (row) {
    return row.querySelector("th").textContent.toLowerCase();
  });

  function matches(row, index, wanted, terms) {
    return (!wanted.type || row.dataset.type === wanted.type) &&
      (!wanted.year || row.dataset.year === wanted.year) &&
      (!wanted.language || row.dataset.language === wanted.language) &&
      terms.every(function (term) { return words[index].indexOf(term) !== -1; });
  }

  function apply() {
    var wanted = {
      type: form.elements.type.value,
      year: form.elements.year.value,
      language: form.elements.language.value
    };
    var terms = form.elements.words.value.toLowerCase().split(/\s+/).filter(Boolean);
    var count = 0;
    rows.forEach(function (row, index) {
      var visible = matches(row, index, wanted, terms);
      row.hidden = !visible;
      count += visible ? 1 : 0;
    });
    shown.textContent = count + " of " + rows.length + " texts shown";
  }

  form.hidden = false;
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  apply();
}());
