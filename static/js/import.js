// The import preview: changing a paragraph's role updates the outline at once (the form's
// "update" button does the same without JavaScript), and the page comes back where it was.
(function () {
  "use strict";
  var form = document.getElementById("import-review");
  if (!form) {
    return;
  }
  var key = "huigao-import-scroll";
  var saved = window.sessionStorage.getItem(key);
  if (saved !== null) {
    window.sessionStorage.removeItem(key);
    window.scrollTo(0, parseInt(saved, 10) || 0);
  }
  form.querySelectorAll(".import-role select").forEach(function (select) {
    select.addEventListener("change", function () {
      window.sessionStorage.setItem(key, String(window.scrollY));
      var update = form.querySelector("[name=update]");
      form.requestSubmit(update);
    });
  });
})();
