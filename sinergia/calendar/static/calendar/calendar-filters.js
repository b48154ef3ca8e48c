// The calendar's live filters: empty fields stay out of the request, so the address bar shows only real filters.
(function () {
  "use strict";

  document.addEventListener("htmx:configRequest", function (event) {
    var source = event.detail.elt;
    var form = source && source.closest ? source.closest(".js-calendar-filters") : null;
    if (!form) {
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
