// The planning pages: the free-date finder (place picked on a map, organisation names suggested, results
// announced) and the import page (focus moves to the report htmx swaps in). No inline scripts.
(function () {
  "use strict";

  var DEFAULT_CENTER = [42.5, 12.5];
  var DEFAULT_ZOOM = 5;
  var PLACE_ZOOM = 9;
  var form = document.querySelector(".js-finder-form");

  function field(name) {
    return form ? form.elements.namedItem(name) : null;
  }

  function chooseWhere(value) {
    var radio = form && form.querySelector('.js-finder-where[value="' + value + '"]');
    if (radio) {
      radio.checked = true;
    }
  }

  // The place of the results shown, else the coordinates typed.
  function currentPoint() {
    var result = document.querySelector(".js-finder-result[data-latitude]");
    if (result) {
      return [parseFloat(result.dataset.latitude), parseFloat(result.dataset.longitude)];
    }
    var lat = parseFloat(field("lat") && field("lat").value);
    var lon = parseFloat(field("lon") && field("lon").value);
    return !isNaN(lat) && !isNaN(lon) ? [lat, lon] : null;
  }

  function radiusMetres() {
    var km = parseFloat(field("radius") && field("radius").value);
    return (isNaN(km) ? 30 : km) * 1000;
  }

  function placePicker(element) {
    var map = window.L.map(element, { scrollWheelZoom: false, center: DEFAULT_CENTER, zoom: DEFAULT_ZOOM });
    window.L.tileLayer(element.dataset.tileUrl, { attribution: element.dataset.tileAttribution || "", maxZoom: 19 })
      .addTo(map);
    var label = element.dataset.markerLabel || "";
    var marker = null;
    var circle = null;

    function show(point, recentre) {
      if (!point) {
        return;
      }
      if (!marker) {
        marker = window.L.marker(point, { title: label, alt: label }).addTo(map);
        circle = window.L.circle(point, { radius: radiusMetres(), weight: 1 }).addTo(map);
      }
      marker.setLatLng(point);
      circle.setLatLng(point).setRadius(radiusMetres());
      if (recentre) {
        map.fitBounds(circle.getBounds(), { maxZoom: PLACE_ZOOM });
      }
    }

    map.on("click", function (event) {
      field("lat").value = event.latlng.lat.toFixed(5);
      field("lon").value = event.latlng.lng.toFixed(5);
      chooseWhere("point");
      show([event.latlng.lat, event.latlng.lng], false);
      field("lat").dispatchEvent(new Event("change", { bubbles: true }));
    });
    show(currentPoint(), true);
    return { show: show };
  }

  function suggestNames(input, list) {
    var timer = null;
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var text = input.value.trim();
      if (text.length < 2 || !form.dataset.suggestUrl) {
        return;
      }
      timer = window.setTimeout(function () {
        var url = form.dataset.suggestUrl + "?page_size=8&q=" + encodeURIComponent(text);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { items: [] }; })
          .then(function (data) { fillList(list, data.items || []); })
          .catch(function () { fillList(list, []); });
      }, 250);
    });
  }

  function fillList(list, items) {
    list.textContent = "";
    items.forEach(function (item) {
      if (item.latitude === null || item.longitude === null) {
        return;
      }
      var option = document.createElement("option");
      option.value = item.name;
      option.label = [item.name, item.municipality].filter(Boolean).join(" — ");
      list.appendChild(option);
    });
  }

  function announce(root) {
    var status = document.getElementById("finder-status");
    var summary = root.querySelector(".js-finder-summary, .alert");
    if (status && summary) {
      status.textContent = summary.textContent.trim();
    }
  }

  function initFinder() {
    if (!form) {
      return;
    }
    // Using a field chooses its way of giving the place, before htmx (delayed) sends the form.
    form.addEventListener("input", function (event) {
      var name = event.target.name;
      if (name === "organisation" || name === "name") {
        chooseWhere(name);
      } else if (name === "lat" || name === "lon") {
        chooseWhere("point");
      }
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "organisation") {
        chooseWhere("organisation");
      }
    });
    var names = form.querySelector(".js-finder-name");
    var list = document.getElementById("finder-name-options");
    if (names && list && window.fetch) {
      suggestNames(names, list);
    }
    var mapElement = form.querySelector(".js-finder-map");
    var picker = mapElement && window.L ? placePicker(mapElement) : null;
    document.addEventListener("htmx:afterSettle", function (event) {
      if (event.target.id !== "finder-results") {
        return;
      }
      announce(event.target);
      if (picker) {
        picker.show(currentPoint(), true);
      }
    });
  }

  // The import page: after a check or an import, move the focus to the report's heading.
  document.addEventListener("htmx:afterSettle", function (event) {
    var heading = event.target.querySelector && event.target.querySelector("[data-focus-after-swap]");
    if (heading) {
      heading.focus();
    }
  });

  initFinder();
})();
