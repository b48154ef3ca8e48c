// The directory's live filters: empty fields stay out of the request, so the address bar shows only real filters.
(function () {
  "use strict";

  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    if (!source || !source.classList || !source.classList.contains("js-drop-empty")) {
      return;
    }
    var parameters = event.detail.parameters;
    Object.keys(parameters).forEach(function (name) {
      if (parameters[name] === "") {
        delete parameters[name];
      }
    });
  });
})();
