// The event editor: the place picked on a Leaflet map, the parts of the form shown only when they apply
// (place, time, recurrence builder), the co-organiser chooser and the clash panel's busy state. No inline scripts.
// Without JavaScript every part stays visible and the coordinates are typed by hand.
(function () {
  "use strict";

  var DEFAULT_CENTER = [42.5, 12.5];
  var DEFAULT_ZOOM = 5;
  var PLACE_ZOOM = 15;
  var DECIMALS = 5;
  var form = document.querySelector(".js-event-form");
  if (!form) {
    return;
  }

  // --- Parts shown when they apply -------------------------------------------------------------------------------

  // The value of a named field as the show/hide rules read it: the checked radio, "on" for a ticked box, "" else.
  function valueOf(name) {
    var element = form.elements.namedItem(name);
    if (!element) {
      return "";
    }
    if (element instanceof RadioNodeList) {
      return element.value;
    }
    if (element.type === "checkbox") {
      return element.checked ? "on" : "";
    }
    return element.value;
  }

  function applies(part) {
    var values = (part.dataset.showValues || "").split(" ");
    return values.indexOf(valueOf(part.dataset.showName)) !== -1;
  }

  function updateParts() {
    Array.prototype.forEach.call(form.querySelectorAll(".js-show-when"), function (part) {
      var shown = applies(part);
      part.hidden = !shown;
      if (shown) {
        part.dispatchEvent(new CustomEvent("sinergia:shown", { bubbles: false }));
      }
    });
  }

  form.addEventListener("change", updateParts);
  updateParts();

  // --- The place picked on a map -----------------------------------------------------------------------------------

  function readPoint(latitudeInput, longitudeInput) {
    var lat = parseFloat(latitudeInput.value);
    var lon = parseFloat(longitudeInput.value);
    if (isNaN(lat) || isNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
      return null;
    }
    return [lat, lon];
  }

  function placePicker(element) {
    var latitudeInput = document.getElementById(element.dataset.latitudeInput);
    var longitudeInput = document.getElementById(element.dataset.longitudeInput);
    if (!window.L || !latitudeInput || !longitudeInput) {
      return;
    }
    var map = window.L.map(element, { scrollWheelZoom: false, center: DEFAULT_CENTER, zoom: DEFAULT_ZOOM });
    window.L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 19 })
      .addTo(map);
    var label = element.dataset.markerLabel || "";
    var marker = null;

    function fill(latlng) {
      latitudeInput.value = latlng.lat.toFixed(DECIMALS);
      longitudeInput.value = latlng.lng.toFixed(DECIMALS);
      // The clash check listens for changes of the coordinates.
      latitudeInput.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function place(point) {
      if (!marker) {
        marker = window.L.marker(point, { title: label, alt: label, draggable: true, autoPan: true }).addTo(map);
        marker.on("dragend", function () {
          fill(marker.getLatLng());
        });
      }
      marker.setLatLng(point);
    }

    map.on("click", function (event) {
      place(event.latlng);
      fill(event.latlng);
    });
    [latitudeInput, longitudeInput].forEach(function (input) {
      input.addEventListener("change", function () {
        var point = readPoint(latitudeInput, longitudeInput);
        if (point) {
          place(point);
          map.panTo(point);
        }
      });
    });

    var start = readPoint(latitudeInput, longitudeInput);
    if (start) {
      place(start);
      map.setView(start, PLACE_ZOOM);
    } else if (element.dataset.defaultLatitude && element.dataset.defaultLongitude) {
      map.setView([parseFloat(element.dataset.defaultLatitude), parseFloat(element.dataset.defaultLongitude)], 12);
    }
    // A map drawn while hidden has no size: redraw it when its part of the form is shown.
    var part = element.closest(".js-show-when");
    if (part) {
      part.addEventListener("sinergia:shown", function () {
        map.invalidateSize();
      });
    }
  }

  Array.prototype.forEach.call(form.querySelectorAll(".js-place-map"), placePicker);

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
