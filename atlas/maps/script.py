"""The site's one map script, made with folium: the Leaflet map, its tiles and attribution, and the
AtlasLayers element that draws each page's map data.

Kept apart from spec.py because importing folium takes a second: a build
that reuses the published script (after a text-only edit) never imports it.
"""

from __future__ import annotations

import re

import folium
from branca.element import MacroElement
from jinja2 import Template

from atlas.maps.spec import (CANVAS_LINE_LIMIT, DATA_ELEMENT_ID, DATA_SRC_ATTRIBUTE, DETAIL_ZOOM, FORMER_DASH, PALETTES,
                             Tiles)


class AtlasLayers(MacroElement):
    """Draws a page's map data onto the folium map; all content goes through textContent."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var container = map.getContainer();
  var source = document.getElementById({{ this.data_id|tojson }});
  var src = container.getAttribute({{ this.src_attribute|tojson }});  /* a big map's data file */
  if (!source && !src) { return; }
  map.setMinZoom(0);
  map.setMaxZoom(18);
  map.options.zoomSnap = 0.25;  /* fit what the map shows closely, at any width */
  /* colours follow the page's colour scheme, now and when it changes (maps/spec.py, PALETTES) */
  var palettes = {{ this.palettes|tojson }};
  var darkScheme = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : {matches: false};
  function palette() { return palettes[darkScheme.matches ? "dark" : "light"]; }
  var restyles = [];
  /* a dot or line the browser lets readers reach with the Tab key is named as its tooltip names it */
  function named(layer, name) {
    layer.on("add", function () { var e = layer.getElement && layer.getElement(); if (e) { e.setAttribute("role", "img"); e.setAttribute("aria-label", name); } });
    return layer;
  }
  function styled(layer, style) { restyles.push(function () { layer.setStyle(style()); }); layer.setStyle(style()); return layer; }
  if (darkScheme.addEventListener) {
    darkScheme.addEventListener("change", function () { restyles.forEach(function (restyle) { restyle(); }); });
  }
  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }
  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function popup(point) {
    var box = document.createElement("div");
    var link = text("a", point[2]);
    link.href = point[3];
    box.appendChild(link);
    if (point[5]) { box.appendChild(text("div", point[5], "map-popup-detail")); }
    return box;
  }
  /* Great circles, as atlas/geo.py draws them for the open data: longitudes are unwrapped
     from the first end, so lines take the short way across the antimeridian. */
  var RAD = Math.PI / 180;
  function wrap(lon) { return ((lon + 180) % 360 + 360) % 360 - 180; }
  function greatCircle(a, b) {
    var lat1 = a[0] * RAD, lon1 = a[1] * RAD, lat2 = b[0] * RAD, lon2 = b[1] * RAD;
    var h = Math.pow(Math.sin((lat2 - lat1) / 2), 2)
      + Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin((lon2 - lon1) / 2), 2);
    var d = 2 * Math.asin(Math.min(1, Math.sqrt(h)));
    if (d < 1e-9) { return [[a[0], a[1]], [b[0], a[1] + wrap(b[1] - a[1])]]; }
    var steps = Math.max(2, Math.min(24, Math.floor(d / RAD / 5) + 2));
    var out = [], previous = a[1];
    for (var i = 0; i <= steps; i++) {
      var f = i / steps, lat, lon;
      if (Math.abs(Math.sin(d)) < 1e-12) {
        lat = a[0] + (b[0] - a[0]) * f; lon = a[1];
      } else {
        var k1 = Math.sin((1 - f) * d) / Math.sin(d), k2 = Math.sin(f * d) / Math.sin(d);
        var x = k1 * Math.cos(lat1) * Math.cos(lon1) + k2 * Math.cos(lat2) * Math.cos(lon2);
        var y = k1 * Math.cos(lat1) * Math.sin(lon1) + k2 * Math.cos(lat2) * Math.sin(lon2);
        var z = k1 * Math.sin(lat1) + k2 * Math.sin(lat2);
        lat = Math.atan2(z, Math.sqrt(x * x + y * y)) / RAD;
        lon = Math.atan2(y, x) / RAD;
      }
      lon = previous + wrap(lon - previous);
      out.push([lat, lon]);
      previous = lon;
    }
    out[0] = [a[0], a[1]];
    return Math.max.apply(null, out.map(function (p) { return Math.abs(p[0]); })) > POLAR ? gentleArc(a, b) : out;
  }
  /* A great circle that passes near a pole is drawn, in the map's projection, as a climb to the top
     edge, a run along it and a fall: a box, not a tie. Such lines are drawn as a gentle arc between
     their ends instead, bulging poleward, never above POLAR degrees (the open data keeps the great
     circle). */
  var POLAR = 72;
  function gentleArc(a, b) {
    var pole = a[0] + b[0] >= 0 ? 1 : -1, highest = Math.max(pole * a[0], pole * b[0]);
    var dLon = wrap(b[1] - a[1]), bulge = Math.max(0, Math.min(Math.abs(dLon) / 6, 20, POLAR - highest)), out = [];
    for (var i = 0; i <= 24; i++) {
      var f = i / 24, lat = a[0] + (b[0] - a[0]) * f + pole * bulge * Math.sin(Math.PI * f);
      out.push([Math.max(-POLAR, Math.min(POLAR, lat)), a[1] + dLon * f]);
    }
    out[0] = [a[0], a[1]];
    return out;
  }
  /* On a map of the world (not centred on one city) a line that crosses 180° is drawn whole twice: from
     its first city into the next world copy, and from the copy of that city to its second, so on a map
     wider than the world each end meets its dot and no line stops in mid-ocean. */
  function worldCopies(arc, lonB) {
    var shift = lonB - arc[arc.length - 1][1];
    if (Math.abs(shift) < 1e-6) { return [arc]; }
    return [arc, arc.map(function (p) { return [p[0], p[1] + shift]; })];
  }
  /* The year control (site.js) says which year to show: what is not in force then is taken off the map. */
  var dated = [];
  function showYear(year) {
    dated.forEach(function (d) {
      var on = year === null || (d.since !== null && d.since <= year && (d.until === null || year <= d.until));
      if (on && !d.layer.hasLayer(d.item)) { d.layer.addLayer(d.item); }
      if (!on && d.layer.hasLayer(d.item)) { d.layer.removeLayer(d.item); }
    });
  }
  document.addEventListener("atlas:year", function (event) { showYear(event.detail.year); });
  /* Open fitted to what the map shows, its dots and its lines (great circles bulge towards the poles),
     with room for the dots and the controls; one city alone opens on its region. */
  function frame(data, lineLayers) {
    if (data.points.length === 1) {
      map.setView([data.points[0][0], data.points[0][1]], 5, {animate: false});
      return;
    }
    if (!data.points.length) { return; }
    var bounds = L.latLngBounds(data.points.map(function (p) { return [p[0], p[1]]; }));
    /* a map centred on its city draws each line whole; on other maps lines are cut at 180°, and fitting
       them would show more than one world, with their cut ends in mid-ocean: those fit their dots */
    lineLayers.forEach(function (layer) {
      if (!layer.getLayers().length) { return; }
      var lines = layer.getBounds();
      if (data.centered) { bounds.extend(lines); return; }
      /* a line bulging towards a pole is still shown whole, north to south */
      bounds.extend([[lines.getNorth(), bounds.getWest()], [lines.getSouth(), bounds.getWest()]]);
    });
    var size = map.getSize(), pad = Math.round(Math.min(size.x, size.y) * 0.06) + 12;
    map.fitBounds(bounds, {paddingTopLeft: [pad + 8, pad], paddingBottomRight: [pad, pad + 8], maxZoom: 6,
                           animate: false});
    map.fire("atlas:framed");
  }
  /* Names on the map: the page's own city first, then the others in the order the page gives them, each
     beside its dot (right, left, above or below) where it covers no other name, dot or control, and left
     out where there is no room; placed again after every zoom or pan. The names repeat the page's lists,
     so screen readers skip them. */
  var labelPane = map.createPane("atlasLabels");
  labelPane.classList.add("atlas-map-labels");
  labelPane.setAttribute("aria-hidden", "true");
  var labels = [];
  function addLabels(data) {
    if (data.cluster) { return; }
    var order = data.points.map(function (p, i) { return i; });
    order.sort(function (a, b) { return (data.points[b][4] === "focus") - (data.points[a][4] === "focus") || a - b; });
    order.forEach(function (i) {
      var point = data.points[i];
      var node = text("span", point[2], "atlas-label" + (point[4] === "focus" ? " atlas-label-focus" : ""));
      labelPane.appendChild(node);
      labels.push({node: node, latlng: L.latLng(point[0], point[1]), radius: point[4] === "focus" ? 9 : 6});
    });
    placeLabels();
    map.on("zoomend moveend resize", placeLabels);
  }
  function overlaps(a, b) { return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2; }
  function placeLabels() {
    var size = map.getSize(), taken = [];
    Array.prototype.forEach.call(container.querySelectorAll(".leaflet-control"), function (control) {
      var box = control.getBoundingClientRect(), origin = container.getBoundingClientRect();
      taken.push({x1: box.left - origin.left, y1: box.top - origin.top, x2: box.right - origin.left,
                  y2: box.bottom - origin.top});
    });
    labels.forEach(function (label) {
      var c = map.latLngToContainerPoint(label.latlng), r = label.radius;
      label.at = c;
      taken.push({x1: c.x - r, y1: c.y - r, x2: c.x + r, y2: c.y + r});
    });
    labels.forEach(function (label) {
      var node = label.node, c = label.at, r = label.radius + 3;
      node.style.display = "block";
      var w = node.offsetWidth, h = node.offsetHeight, placed = null;
      [[c.x + r, c.y - h / 2], [c.x - r - w, c.y - h / 2], [c.x - w / 2, c.y - r - h], [c.x - w / 2, c.y + r]]
        .some(function (xy) {
          var box = {x1: xy[0], y1: xy[1], x2: xy[0] + w, y2: xy[1] + h};
          if (box.x1 < 2 || box.y1 < 2 || box.x2 > size.x - 2 || box.y2 > size.y - 2) { return false; }
          if (taken.some(function (other) { return overlaps(box, other); })) { return false; }
          placed = box;
          return true;
        });
      if (!placed) { node.style.display = "none"; return; }
      taken.push(placed);
      var at = map.containerPointToLayerPoint([placed.x1, placed.y1]);
      L.DomUtil.setPosition(node, at);
    });
  }
  var drawnLines = [];
  function highlight(index) {
    drawnLines.forEach(function (line) {
      line.style();  /* back to its own colour */
      if (index === null) { line.path.setStyle({weight: 2}); return; }
      var mine = line.a === index || line.b === index;
      line.path.setStyle(mine ? {weight: 3.5, opacity: 1} : {opacity: 0.12});
      if (mine) { line.path.bringToFront(); }
    });
    container.setAttribute("data-picked", index === null ? "" : String(index));
  }
  /* Draws a map's data. A big map's regions (maps/spec.py, map_regions) are drawn one by one into the same
     layers (`options.into`, what the last call returned): "ids" give each point's and line's place in the
     whole map, so a city or tie met in two regions is drawn once. */
  function draw(data, options) {
    var into = options && options.into;
    var state = into || {seenPoints: {}, seenLines: {}, kinds: {}, overlays: {}, layers: [], control: null};
    var ids = data.ids || null;
    function id(i) { return ids ? ids[i] : i; }
    var markers = data.points.map(function (point, i) {
      if (point.length < 3 || state.seenPoints[id(i)]) { return null; }  /* [lat, lon]: a tie's far end */
      state.seenPoints[id(i)] = true;
      var focus = point[4] === "focus";
      var marker = styled(L.circleMarker([point[0], point[1]], {radius: focus ? 9 : 6}), function () {
        var colours = palette();
        return {color: colours.edge, weight: 1.5, opacity: 1, fillOpacity: 0.95,
                fillColor: colours.points[point[4]] || colours.points.city};
      });
      named(marker, point[2]).bindTooltip(text("span", point[2]), {direction: "top", offset: [0, -6]});
      marker.bindPopup(popup(point));
      return marker;
    });
    if (!state.pointLayer) {
      state.pointLayer = (data.cluster && L.markerClusterGroup)
        ? L.markerClusterGroup({
            showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true,
            iconCreateFunction: function (cluster) {
              var count = cluster.getChildCount();
              var size = count < 10 ? 30 : (count < 100 ? 36 : 44);
              return L.divIcon({
                html: '<span aria-hidden="true">' + count + '</span><span class="visually-hidden">' + count
                  + " cities here: select to zoom in</span>", className: "atlas-cluster", iconSize: L.point(size, size)
              });
            }
          })
        : L.featureGroup();
    }
    var pointLayer = state.pointLayer;
    var added = [];
    markers.forEach(function (marker, i) {
      if (!marker) { return; }
      added.push(marker);
      var point = data.points[i];
      if (point.length > 6) { dated.push({item: marker, layer: pointLayer, since: point[6], until: point[7]}); }
    });
    var lineCount = data.lineGroups.reduce(function (n, group) { return n + group.lines.length; }, 0);
    var lineStyle = {weight: 2, opacity: 0.75};
    if (lineCount > {{ this.canvas_line_limit }} || data.canvas) {
      state.renderer = state.renderer || L.canvas();
      lineStyle.renderer = state.renderer;
    }
    var lineLayers = [], newOverlays = [];
    data.lineGroups.forEach(function (group) {
      var layer = state.kinds[group.kind];
      if (!layer) {
        layer = state.kinds[group.kind] = L.featureGroup();
        state.layers.push(layer);
        layer.addTo(map);
        newOverlays.push([layer, '<span class="swatch" data-kind="' + escapeHtml(group.kind) + '"></span>'
                                 + escapeHtml(group.label)]);
      }
      lineLayers.push(layer);
      group.lines.forEach(function (line, j) {
        if (group.ids) {
          if (state.seenLines[group.ids[j]]) { return; }
          state.seenLines[group.ids[j]] = true;
        }
        var a = data.points[line[0]], b = data.points[line[1]];
        var arc = greatCircle([a[0], a[1]], [b[0], b[1]]);
        var former = line[5] && line[5] !== "active";  /* suspended or ended: grey and dashed, as the legend says */
        var path = styled(L.polyline(data.centered ? [arc] : worldCopies(arc, b[1]), lineStyle), function () {
          var colours = palette();
          return former ? {color: colours.former, dashArray: {{ this.former_dash|tojson }}, opacity: 0.9}
                        : {color: colours.lines[group.kind] || group.colour, opacity: 0.75};
        });
        named(path, line[2]).bindTooltip(text("span", line[2]), {sticky: true});
        drawnLines.push({path: path, a: id(line[0]), b: id(line[1]), style: restyles[restyles.length - 1]});
        layer.addLayer(path);
        dated.push({item: path, layer: layer, since: line[3], until: line[4]});
      });
    });
    if (pointLayer.addLayers) { pointLayer.addLayers(added); } else { added.forEach(function (m) { pointLayer.addLayer(m); }); }
    if (!into) {
      state.layers.push(pointLayer);
      pointLayer.addTo(map);
    }
    data.overlays.forEach(function (overlay) {
      var layer = state.overlays[overlay.label];
      if (!layer) {
        layer = state.overlays[overlay.label] = L.featureGroup();
        newOverlays.push([layer, escapeHtml(overlay.label)]);
      }
      overlay.points.forEach(function (index) {
        var point = data.points[index];
        layer.addLayer(styled(L.circleMarker([point[0], point[1]], {
          radius: 11, weight: 2.5, fill: false, interactive: false
        }), function () { return {color: palette().ring}; }));
      });
    });
    if (state.control) {
      newOverlays.forEach(function (overlay) { state.control.addOverlay(overlay[0], overlay[1]); });
    } else if (newOverlays.length > 1 || data.overlays.length) {
      var overlays = {};
      newOverlays.forEach(function (overlay) { overlays[overlay[1]] = overlay[0]; });
      state.control = L.control.layers(null, overlays, {collapsed: true}).addTo(map);
    }
    var asOf = document.documentElement.getAttribute("data-as-of");
    if (asOf) { showYear(Number(asOf)); }
    container.setAttribute("aria-label", data.label + " (interactive map; use arrow keys to pan, plus and minus to zoom)");
    container.setAttribute("role", "region");
    if (!(options && options.keepView)) { frame(data, lineLayers); }
    if (!into) { addLabels(data); }
    /* picking a city brings its ties forward and dims the rest, until its popup closes */
    markers.forEach(function (marker, i) {
      if (marker) { marker.on("click", function () { highlight(id(i)); }); }
    });
    if (!into) { map.on("popupclose", function () { highlight(null); }); }
    return state;
  }
{% if this.basemap_url %}
  map.createPane("basemap");
  map.getPane("basemap").style.zIndex = 150;
  map.attributionControl.addAttribution({{ this.basemap_attribution|tojson }});
  function countryStyle(feature) {
    var colours = palette();
    return {color: colours.outline, weight: feature.properties.cut ? 0 : 0.6, fillColor: colours.land, fillOpacity: 1};
  }
  /* Three world copies, so a map framed across the Pacific has land on both sides of 180°. */
  function outlines(url) {
    return fetch(url).then(function (response) { return response.json(); }).then(function (world) {
      return [-360, 0, 360].map(function (offset) {
        /* a ring cut where it went round the world (Antarctica) is drawn without an outline: no cut shows */
        var countries = L.geoJSON(world, {
          pane: "basemap", interactive: false,
          coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + offset); }
        });
        restyles.push(function () { countries.setStyle(countryStyle); });
        return countries.setStyle(countryStyle);
      });
    });
  }
  function showOutlines(layers, on) {
    layers.forEach(function (layer) {
      if (on && !map.hasLayer(layer)) { layer.addTo(map); }
      if (!on && map.hasLayer(layer)) { map.removeLayer(layer); }
    });
  }
  var coarse = [], fine = null, fineLoading = false;
  /* 1:110m for the world; the 1:50m outlines are fetched only once a reader zooms in to a region */
  function chooseOutlines() {
    var close = map.getZoom() >= {{ this.basemap_detail_zoom }}{% if this.basemap_detail_url %};
    if (close && !fine && !fineLoading) {
      fineLoading = true;
      outlines({{ this.basemap_detail_url|tojson }}).then(function (layers) { fine = layers; chooseOutlines(); });
    }
    close = close && fine !== null{% else %} && false{% endif %};
    showOutlines(coarse, !close);
    if (fine) { showOutlines(fine, close); }
    container.setAttribute("data-outlines", close ? "1:50m" : "1:110m");
  }
  outlines({{ this.basemap_url|tojson }}).then(function (layers) {
    coarse = layers;
    chooseOutlines();
    map.on("zoomend", chooseOutlines);
  });
{% endif %}
  var pending = 0;
  function load(url, then) {
    pending += 1;
    container.setAttribute("aria-busy", "true");
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
      return response.json();
    }).then(then).catch(function (error) {
      if (!container.parentNode.querySelector(".map-error")) {
        var note = text("p", "The map could not load its data. The lists below show the same places.", "map-error");
        note.setAttribute("role", "status");
        container.parentNode.insertBefore(note, container.nextSibling);
      }
      if (window.console) { console.error(error); }
    }).then(function () {
      pending -= 1;
      if (!pending) { container.removeAttribute("aria-busy"); }
    });
  }
  /* A big map opens on its overview (maps/spec.py, map_overview): cities counted per cell and the
     strongest links between cells. Zooming in to data.detailZoom, or picking a cell, fetches the regions
     in view and shows each of their cities and ties, and more regions as the reader pans; zooming out
     again shows the overview. */
  function drawOverview(data) {
    container.setAttribute("aria-label", data.label + " (interactive map; use arrow keys to pan, plus and minus to zoom)");
    var overview = L.featureGroup(), detail = null;
    var most = data.links.reduce(function (n, link) { return Math.max(n, link[2]); }, 1);
    data.links.forEach(function (link) {
      var a = data.cells[link[0]], b = data.cells[link[1]];
      var name = link[2] + (link[2] === 1 ? " tie" : " ties") + " between these two areas";
      overview.addLayer(named(styled(L.polyline(worldCopies(greatCircle(a, b), b[1]), {
        weight: 1 + 6 * Math.sqrt(link[2] / most), opacity: 0.55}), function () {
          return {color: palette().lines["sister-city"]}; }), name).bindTooltip(text("span", name), {sticky: true}));
    });
    data.cells.forEach(function (cell) {
      var size = cell[2] < 10 ? 30 : (cell[2] < 100 ? 36 : 44);
      var icon = L.divIcon({className: "atlas-cluster", iconSize: L.point(size, size),
        html: '<span aria-hidden="true">' + cell[2] + '</span><span class="visually-hidden">' + cell[2]
          + " cities here: select to zoom in</span>"});
      var marker = L.marker([cell[0], cell[1]], {icon: icon, keyboard: true, title: cell[2] + " cities"});
      marker.on("click", function () { map.setView([cell[0], cell[1]], data.detailZoom + 1); });
      overview.addLayer(marker);
    });
    overview.addTo(map);
    frame({points: data.cells}, [overview]);
    /* the regions (south, west, north, east, url) whose square meets the view, on any world copy */
    function inView(region, view) {
      return [-360, 0, 360].some(function (shift) {
        return region[0] < view.getNorth() && view.getSouth() < region[2]
          && region[1] + shift < view.getEast() && view.getWest() < region[3] + shift;
      });
    }
    var requested = {}, fetched = 0, whole = false;
    function update() {
      var close = map.getZoom() >= data.detailZoom;
      if (close && map.hasLayer(overview)) { map.removeLayer(overview); }
      if (!close && !map.hasLayer(overview)) { overview.addTo(map); }
      if (close && !whole) {
        var view = map.getBounds().pad(0.1);
        var wanted = data.regions.filter(function (region) { return !requested[region[4]] && inView(region, view); });
        var bytes = wanted.reduce(function (n, region) { return n + region[5]; }, fetched);
        if (data.detail && bytes >= 0.75 * data.detailBytes) {
          /* the regions in view would weigh nearly as much as the whole map, or more (their ties repeat at
             both ends, and small files compress less well) */
          whole = true;
          load(data.detail, function (full) {
            if (detail) { detail.layers.forEach(function (layer) { map.removeLayer(layer); }); }
            if (detail && detail.control) { map.removeControl(detail.control); }
            detail = draw(full, {keepView: true});
            show(map.getZoom() >= data.detailZoom);
          });
        } else {
          wanted.forEach(function (region) {
            requested[region[4]] = true;
            fetched += region[5];
            load(region[4], function (part) {
              if (whole) { return; }
              detail = draw(part, {keepView: true, into: detail});
              show(map.getZoom() >= data.detailZoom);
            });
          });
        }
      }
      show(close);
      container.setAttribute("data-map-view", close ? "detail" : "overview");
    }
    function show(close) {
      if (detail) { detail.layers.forEach(function (layer) {
        if (close && !map.hasLayer(layer)) { layer.addTo(map); }
        if (!close && map.hasLayer(layer)) { map.removeLayer(layer); }
      }); }
    }
    map.on("zoomend moveend", update);
    update();
  }
  var overviewSrc = container.getAttribute("data-map-overview");
  if (source) {
    draw(JSON.parse(source.textContent));
  } else if (overviewSrc) {
    load(overviewSrc, drawOverview);
  } else {
    load(src, draw);
  }
})();
{% endmacro %}
""")

    def __init__(self, basemap_url: str | None = None, basemap_detail_url: str | None = None) -> None:
        super().__init__()
        self._name = "AtlasLayers"
        self.data_id = DATA_ELEMENT_ID
        self.src_attribute = DATA_SRC_ATTRIBUTE
        self.canvas_line_limit = CANVAS_LINE_LIMIT
        self.palettes = PALETTES
        self.former_dash = FORMER_DASH
        self.basemap_url = basemap_url
        self.basemap_detail_url = basemap_detail_url
        self.basemap_detail_zoom = DETAIL_ZOOM
        self.basemap_attribution = 'Country outlines: <a href="https://www.naturalearthdata.com/">Natural Earth</a>'


def make_map_script(tiles: Tiles | None, basemap_url: str | None, basemap_detail_url: str | None = None) -> str:
    """The site's one map script, made with folium; ids are fixed so builds repeat.

    With `tiles` the map uses that tile server; with `basemap_url` instead it
    draws the site's own country outlines and contacts no other server.
    """
    figure_map = folium.Map(location=[20, 0], zoom_start=2, tiles=None, min_zoom=1, max_zoom=18,
                            control_scale=True, world_copy_jump=False)
    if tiles is not None:
        folium.TileLayer(tiles=tiles.url, attr=tiles.attribution, name="Base map",
                         max_zoom=tiles.max_zoom, control=False).add_to(figure_map)
    AtlasLayers(basemap_url, basemap_detail_url).add_to(figure_map)
    _fix_ids(figure_map)
    figure = figure_map.get_root()
    figure.render()
    script = figure.script.render()
    script = _COMMENT.sub("", script)  # the comments are for the source, not for every reader's download
    lines = [line.rstrip() for line in script.splitlines()]
    return "\n".join(line for line in lines if line.strip()) + "\n"


_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _fix_ids(element, counter: list[int] | None = None) -> None:
    """Replace branca's random ids with fixed ones (the map itself is `map_atlas`)."""
    counter = counter if counter is not None else [0]
    if isinstance(element, folium.Map):
        element._id = "atlas"
    else:
        element._id = f"{counter[0]:04d}"
    counter[0] += 1
    for child in element._children.values():
        _fix_ids(child, counter)
