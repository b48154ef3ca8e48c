// Copy buttons of the embed and subscription pages, without inline scripts.
//
//   .js-copy            a button (hidden until this script runs) with data-copy-target = the id of the field to copy,
//                       data-copied-message and data-failed-message = texts announced in #copy-status
//   .js-select-all      a read-only field whose whole text is selected when it gets the focus
(function () {
  "use strict";

  function announce(text) {
    var status = document.getElementById("copy-status");
    if (status && text) {
      status.textContent = "";
      // A new text node each time, so screen readers announce a second copy too.
      window.setTimeout(function () { status.textContent = text; }, 50);
    }
  }

  function legacyCopy(field) {
    field.focus();
    field.select();
    return document.execCommand && document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function copy(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value).catch(function () { return legacyCopy(field); });
    }
    return legacyCopy(field);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".js-copy") : null;
    var field = button ? document.getElementById(button.dataset.copyTarget) : null;
    if (!field) {
      return;
    }
    copy(field).then(
      function () { announce(button.dataset.copiedMessage); },
      function () {
        field.focus();
        field.select();
        announce(button.dataset.failedMessage);
      }
    );
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("js-select-all")) {
      event.target.select();
    }
  });

  Array.prototype.forEach.call(document.querySelectorAll(".js-copy"), function (button) {
    button.hidden = false;
  });
})();
