// The event editor: the co-organiser chooser and the clash panel's busy state (the parts shown when they apply and
// the place picked on a map are js/form-parts.js's). No inline scripts.
(function () {
  "use strict";

  var form = document.querySelector(".js-event-form");
  if (!form) {
    return;
  }

  // --- Co-organisers: the chosen suggestion is added as a line of the list ----------------------------------------

  Array.prototype.forEach.call(form.querySelectorAll(".js-add-co-organiser"), function (button) {
    var search = document.getElementById(button.dataset.search);
    var list = document.getElementById(button.dataset.target);
    if (!search || !list) {
      return;
    }
    button.hidden = false;

    function add() {
      var value = search.value.trim();
      if (!value) {
        return;
      }
      var lines = list.value.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
      if (lines.indexOf(value) === -1) {
        lines.push(value);
      }
      list.value = lines.join("\n");
      search.value = "";
      search.focus();
    }

    button.addEventListener("click", add);
    search.addEventListener("keydown", function (event) {
      // Enter adds the organisation instead of submitting the whole form.
      if (event.key === "Enter") {
        event.preventDefault();
        add();
      }
    });
  });

  // --- The clash panel tells assistive technologies when it is being updated ---------------------------------------

  var panel = document.getElementById("clashes");
  if (panel) {
    document.addEventListener("htmx:beforeRequest", function (event) {
      if (event.detail.target === panel) {
        panel.setAttribute("aria-busy", "true");
      }
    });
    document.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.target === panel) {
        panel.setAttribute("aria-busy", "false");
      }
    });
  }
})();
