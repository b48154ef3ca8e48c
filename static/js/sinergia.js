// Site-wide behaviour: fonts, language switch, confirmations. No inline scripts.
(function () {
  "use strict";

  var fontsPath = document.body.dataset.fontsPath;
  if (window.bootstrap && typeof window.bootstrap.loadFonts === "function" && fontsPath) {
    window.__PUBLIC_PATH__ = fontsPath + "/";
    window.bootstrap.loadFonts();
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.classList && target.classList.contains("js-autosubmit")) {
      target.form.submit();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.dataset ? form.dataset.confirm : null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
