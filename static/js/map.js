// Leaflet maps (organisations, events, professionals), for every element with the class "js-map".
//
//   data-geojson-url        a GeoJSON FeatureCollection of points (properties: name, url, and any of kind,
//                           municipality, when, place, category shown as lines; cancelled; the collection's
//                           "truncated" says it was cut)
//   data-latitude/-longitude/-label   or one point instead of a feed (an organisation's or an event's page)
//   data-tile-url, data-tile-attribution   the tile layer (from settings)
//   data-cluster="false"    plain markers instead of clusters
//   data-cancelled-label, data-error-message, data-empty-message, data-truncated-message   texts, translated
(function () {
  "use strict";

  var DEFAULT_CENTER = [42.5, 12.5];
  var DEFAULT_ZOOM = 5;

  var DETAIL_LINES = ["kind", "municipality", "when", "place", "category"];

  function line(box, text, className) {
    if (!text) {
      return;
    }
    var element = document.createElement("div");
    element.className = className || "small";
    element.textContent = text;
    box.appendChild(element);
  }

  function popupContent(properties, element) {
    var box = document.createElement("div");
    if (properties.cancelled) {
      line(box, element.dataset.cancelledLabel, "badge bg-danger mb-1");
    }
    var title = document.createElement(properties.url ? "a" : "strong");
    title.textContent = properties.name || "";
    if (properties.url) {
      title.href = properties.url;
    }
    box.appendChild(title);
    DETAIL_LINES.forEach(function (name) {
      line(box, properties[name]);
    });
    return box;
  }

  function showMessage(element, text) {
    if (!text) {
      return;
    }
    var note = document.createElement("p");
    note.className = "small mt-2";
    note.setAttribute("role", "status");
    note.textContent = text;
    element.insertAdjacentElement("afterend", note);
  }

  function createMap(element) {
    var map = window.L.map(element, { scrollWheelZoom: false, center: DEFAULT_CENTER, zoom: DEFAULT_ZOOM });
    window.L.tileLayer(element.dataset.tileUrl, {
      attribution: element.dataset.tileAttribution || "",
      maxZoom: 19,
    }).addTo(map);
    return map;
  }

  function showPoint(map, element) {
    var latlng = [parseFloat(element.dataset.latitude), parseFloat(element.dataset.longitude)];
    var label = element.dataset.label || "";
    window.L.marker(latlng, { title: label, alt: label }).addTo(map).bindPopup(popupContent({ name: label }, element));
    map.setView(latlng, 15);
  }

  function featureLayer(data, element) {
    var points = window.L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var name = (feature.properties && feature.properties.name) || "";
        return window.L.marker(latlng, { title: name, alt: name });
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(popupContent(feature.properties || {}, element));
      },
    });
    if (element.dataset.cluster === "false" || typeof window.L.markerClusterGroup !== "function") {
      return points;
    }
    var group = window.L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    group.addLayer(points);
    return group;
  }

  function showFeed(map, element) {
    fetch(element.dataset.geojsonUrl, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var layer = featureLayer(data, element).addTo(map);
        if (data.features && data.features.length) {
          map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 14, animate: false });
        } else {
          showMessage(element, element.dataset.emptyMessage);
        }
        if (data.truncated) {
          showMessage(element, element.dataset.truncatedMessage);
        }
      })
      .catch(function () {
        showMessage(element, element.dataset.errorMessage);
      });
  }

  function init(element) {
    if (!window.L || element.dataset.mapReady) {
      return;
    }
    element.dataset.mapReady = "true";
    var map = createMap(element);
    if (element.dataset.latitude && element.dataset.longitude) {
      showPoint(map, element);
    } else if (element.dataset.geojsonUrl) {
      showFeed(map, element);
    }
  }

  function initAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".js-map"), init);
  }

  initAll(document);
  // Maps inside content swapped in by htmx (filtered results bring a new map) start as well.
  document.addEventListener("htmx:afterSettle", function () {
    initAll(document);
  });
})();
