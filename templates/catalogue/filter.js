/* Filters the catalogue's texts in the browser: no server, no library. The form stays hidden
   without JavaScript, when every text is shown anyway. Words are compared folded: without
   accents, in lower case, with every apostrophe as ' (so "activites" finds "Activités"). */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var shown = document.getElementById("shown");
  var texts = Array.prototype.slice.call(document.querySelectorAll("#texts li.text"));
  var kinds = Array.prototype.slice.call(document.querySelectorAll("#texts section.kind"));
  var years = Array.prototype.slice.call(document.querySelectorAll("#texts section.year"));

  function fold(value) {
    return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u2018\u2019\u02bc\u2032`\u00b4]/g, "'").replace(/\u0153/g, "oe").replace(/\u00e6/g, "ae");
  }

  var words = texts.map(function (text) {
    return fold(Array.prototype.map.call(text.querySelectorAll(".words"), function (part) {
      return part.textContent;
    }).join(" "));
  });

  function matches(text, index, wanted, terms) {
    return (!wanted.type || text.dataset.type === wanted.type) &&
      (!wanted.year || text.dataset.year === wanted.year) &&
      (!wanted.language || text.dataset.languages.split(" ").indexOf(wanted.language) !== -1) &&
      terms.every(function (term) { return words[index].indexOf(term) !== -1; });
  }

  function hideEmpty(sections) {
    sections.forEach(function (section) {
      section.hidden = !section.querySelector("li.text:not([hidden])");
    });
  }

  function apply() {
    var wanted = {
      type: form.elements.type.value,
      year: form.elements.year.value,
      language: form.elements.language.value
    };
    var terms = fold(form.elements.words.value).split(/\s+/).filter(Boolean);
    var count = 0;
    texts.forEach(function (text, index) {
      var visible = matches(text, index, wanted, terms);
      text.hidden = !visible;
      count += visible ? 1 : 0;
    });
    hideEmpty(kinds);
    hideEmpty(years);
    shown.textContent = count + " of " + texts.length + " texts shown";
  }

  form.hidden = false;
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  apply();
}());
