// Forms with parts shown only when they apply and places picked on a Leaflet map (the event editor, offers and
// needs). No inline scripts; without JavaScript every part stays visible and the coordinates are typed by hand.
//
//   .js-show-when  data-show-name, data-show-values   a part shown when the named field has one of the values
//   .js-place-map  data-latitude-input, data-longitude-input   the ids of the coordinate inputs it fills
//                  data-tile-url, data-tile-attribution, data-marker-label
//                  data-default-latitude/-longitude   where to look when no place is set yet
//                  data-default-marker="true"   also put the marker there; data-place-zoom (default 15)
(function () {
  "use strict";

  var DEFAULT_CENTER = [42.5, 12.5];
  var DEFAULT_ZOOM = 5;
  var PLACE_ZOOM = 15;
  var DECIMALS = 5;

  // The value of a named field as the show/hide rules read it: the checked radio, "on" for a ticked box, "" else.
  function valueOf(form, name) {
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
    return element.value || "";
  }

  function updateParts(form) {
    Array.prototype.forEach.call(form.querySelectorAll(".js-show-when"), function (part) {
      var shown = (part.dataset.showValues || "").split(" ").indexOf(valueOf(form, part.dataset.showName)) !== -1;
      part.hidden = !shown;
      if (shown) {
        part.dispatchEvent(new CustomEvent("sinergia:shown", { bubbles: false }));
      }
    });
  }

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
    var zoom = parseInt(element.dataset.placeZoom, 10) || PLACE_ZOOM;
    var map = window.L.map(element, { scrollWheelZoom: false, center: DEFAULT_CENTER, zoom: DEFAULT_ZOOM });
    window.L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 19 })
      .addTo(map);
    var label = element.dataset.markerLabel || "";
    var marker = null;

    function fill(latlng) {
      latitudeInput.value = latlng.lat.toFixed(DECIMALS);
      longitudeInput.value = latlng.lng.toFixed(DECIMALS);
      // Whoever listens for changes of the coordinates (the calendar's clash check) hears of it.
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
      map.setView(start, zoom);
    } else if (element.dataset.defaultLatitude && element.dataset.defaultLongitude) {
      var home = [parseFloat(element.dataset.defaultLatitude), parseFloat(element.dataset.defaultLongitude)];
      if (element.dataset.defaultMarker === "true") {
        place(home);
      }
      map.setView(home, zoom);
    }
    // A map drawn while hidden has no size: redraw it when its part of the form is shown.
    var part = element.closest(".js-show-when");
    if (part) {
      part.addEventListener("sinergia:shown", function () {
        map.invalidateSize();
      });
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    if (form.querySelector(".js-show-when")) {
      form.addEventListener("change", function () {
        updateParts(form);
      });
      updateParts(form);
    }
    Array.prototype.forEach.call(form.querySelectorAll(".js-place-map"), placePicker);
  });
})();
