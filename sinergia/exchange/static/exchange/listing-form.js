// The offer/need form: the parts of the area shown when they apply, and the place picked on a Leaflet map.
// No inline scripts; without JavaScript every part stays visible and the coordinates are typed by hand.
(function () {
  "use strict";

  var DEFAULT_CENTER = [42.5, 12.5];
  var DEFAULT_ZOOM = 5;
  var PLACE_ZOOM = 11;
  var DECIMALS = 5;
  var form = document.querySelector(".js-listing-form");
  if (!form) {
    return;
  }

  function valueOf(name) {
    var element = form.elements.namedItem(name);
    if (!element) {
      return "";
    }
    return element instanceof RadioNodeList ? element.value : element.value || "";
  }

  function updateParts() {
    Array.prototype.forEach.call(form.querySelectorAll(".js-show-when"), function (part) {
      var values = (part.dataset.showValues || "").split(" ");
      var shown = values.indexOf(valueOf(part.dataset.showName)) !== -1;
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
    var map = window.L.map(element, { scrollWheelZoom: false, center: DEFAULT_CENTER, zoom: DEFAULT_ZOOM });
    window.L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 19 })
      .addTo(map);
    var label = element.dataset.markerLabel || "";
    var marker = null;

    function fill(latlng) {
      latitudeInput.value = latlng.lat.toFixed(DECIMALS);
      longitudeInput.value = latlng.lng.toFixed(DECIMALS);
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
      var home = [parseFloat(element.dataset.defaultLatitude), parseFloat(element.dataset.defaultLongitude)];
      place(home);
      map.setView(home, PLACE_ZOOM);
    }
    var part = element.closest(".js-show-when");
    if (part) {
      part.addEventListener("sinergia:shown", function () {
        map.invalidateSize();
      });
    }
  }

  form.addEventListener("change", updateParts);
  updateParts();
  Array.prototype.forEach.call(form.querySelectorAll(".js-place-map"), placePicker);
})();
