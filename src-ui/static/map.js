// The offline map's glue between the Leptos UI and MapLibre GL JS (issue 17).
// `lastmileMap.show(el, specJson, onPin)` draws (or updates) a map in `el`; `hide(el)` removes
// it. Tiles come from the device's archive through the shell's `map_tile` command (the
// `lmtile://` protocol below), never the network. MapLibre itself is loaded on the first map,
// so the app's start does not pay for it. Labels use the system's fonts (no glyph server).
(function () {
  "use strict";
  let loading = null;

  function loadMapLibre() {
    if (window.maplibregl) return Promise.resolve();
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = "maplibre-gl.css";
        document.head.appendChild(css);
        const js = document.createElement("script");
        js.src = "maplibre-gl.js";
        js.onload = () => {
          window.maplibregl.addProtocol("lmtile", async (params) => {
            const [z, x, y] = params.url.replace("lmtile://", "").split("/").map(Number);
            const data = await window.__TAURI__.core.invoke("map_tile", { z, x, y });
            return { data: data instanceof ArrayBuffer ? data : new Uint8Array(data).buffer };
          });
          resolve();
        };
        js.onerror = () => reject(new Error("maplibre-gl.js did not load"));
        document.head.appendChild(js);
      });
    }
    return loading;
  }

  function webgl() {
    const c = document.createElement("canvas");
    return !!(c.getContext("webgl2") || c.getContext("webgl"));
  }

  // Colours: a light map that keeps contrast in sunlight; the high-contrast theme is black
  // and white with thick roads.
  function palette(contrast) {
    return contrast
      ? { bg: "#ffffff", land: "#ffffff", park: "#e6e6e6", water: "#6f9fd8", building: "#bdbdbd",
          road: "#000000", minor: "#000000", casing: "#ffffff", text: "#000000", halo: "#ffffff", leg: "#0033cc", w: 1.6 }
      : { bg: "#f4f1ea", land: "#efece4", park: "#cfe6c4", water: "#9cc3e6", building: "#d9d0c7",
          road: "#ffffff", minor: "#ffffff", casing: "#8f8a80", text: "#1a1a1a", halo: "#ffffff", leg: "#1565c0", w: 1 };
  }

  function style(spec) {
    const p = palette(spec.contrast);
    const major = ["motorway", "trunk", "primary", "secondary", "tertiary"];
    const roadWidth = ["match", ["get", "class"], major, 1.6, ["residential", "unclassified", "living_street", "service"], 1, 0.5];
    // Zoom must be the top-level input: the class factor goes inside each stop.
    const width = (extra) => ["interpolate", ["exponential", 1.5], ["zoom"],
      12, ["+", ["*", 0.5 * p.w, roadWidth], extra], 18, ["+", ["*", 6 * p.w, roadWidth], extra]];
    return {
      version: 8,
      sources: {
        osm: {
          type: "vector",
          tiles: ["lmtile://{z}/{x}/{y}"],
          minzoom: 10,
          maxzoom: 14,
          bounds: spec.bounds || [-180, -85, 180, 85],
        },
        leg: { type: "geojson", data: legData(spec) },
      },
      layers: [
        { id: "background", type: "background", paint: { "background-color": p.bg } },
        { id: "land", type: "fill", source: "osm", "source-layer": "land",
          paint: { "fill-color": ["match", ["get", "class"], ["park", "grass", "wood"], p.park, p.land] } },
        { id: "water", type: "fill", source: "osm", "source-layer": "water", filter: ["==", ["geometry-type"], "Polygon"],
          paint: { "fill-color": p.water } },
        { id: "river", type: "line", source: "osm", "source-layer": "water", filter: ["==", ["geometry-type"], "LineString"],
          paint: { "line-color": p.water, "line-width": 2 } },
        { id: "building", type: "fill", source: "osm", "source-layer": "building", minzoom: 14,
          paint: { "fill-color": p.building } },
        { id: "road-casing", type: "line", source: "osm", "source-layer": "road",
          layout: { "line-cap": "round", "line-join": "round" },
          paint: { "line-color": p.casing, "line-width": width(2) } },
        { id: "road", type: "line", source: "osm", "source-layer": "road",
          layout: { "line-cap": "round", "line-join": "round" },
          paint: { "line-color": ["match", ["get", "class"], major, p.road, p.minor], "line-width": width(0) } },
        { id: "leg-line", type: "line", source: "leg",
          layout: { "line-cap": "round", "line-join": "round" },
          paint: { "line-color": p.leg, "line-width": 6 * p.w, "line-opacity": 0.85 } },
        { id: "road-name", type: "symbol", source: "osm", "source-layer": "road", minzoom: 14,
          filter: ["has", "name"],
          layout: { "symbol-placement": "line", "text-field": ["get", "name"], "text-font": ["DejaVu Sans"],
                    "text-size": spec.contrast ? 15 : 13 },
          paint: { "text-color": p.text, "text-halo-color": p.halo, "text-halo-width": 2 } },
        { id: "place-name", type: "symbol", source: "osm", "source-layer": "place",
          layout: { "text-field": ["get", "name"], "text-font": ["DejaVu Sans"], "text-size": 15 },
          paint: { "text-color": p.text, "text-halo-color": p.halo, "text-halo-width": 2 } },
      ],
    };
  }

  function legData(spec) {
    const coords = spec.route || [];
    return {
      type: "FeatureCollection",
      features: coords.length >= 2
        ? [{ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: coords } }]
        : [],
    };
  }

  function pinElement(pin, onPin) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "map-pin " + pin.state + (pin.current ? " current" : "");
    b.dataset.testid = "map-pin";
    b.dataset.stopId = pin.id;
    b.dataset.state = pin.state;
    b.dataset.current = pin.current ? "true" : "false";
    b.dataset.lat = String(pin.lat);
    b.dataset.lon = String(pin.lon);
    b.setAttribute("aria-label", pin.label);
    const seq = document.createElement("span");
    seq.className = "seq";
    seq.textContent = String(pin.seq);
    b.appendChild(seq);
    if (pin.count) {
      const c = document.createElement("span");
      c.className = "count";
      c.dataset.testid = "map-parcels";
      c.textContent = pin.count;
      b.appendChild(c);
    }
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      onPin(pin.id);
    });
    return b;
  }

  function meElement() {
    const d = document.createElement("div");
    d.className = "map-me";
    d.dataset.testid = "map-me";
    d.innerHTML = '<span class="arrow">▲</span>';
    return d;
  }

  function outside(map, bounds) {
    if (!bounds) return true;
    const c = map.getCenter();
    return c.lng < bounds[0] || c.lat < bounds[1] || c.lng > bounds[2] || c.lat > bounds[3];
  }

  function frame(map, spec) {
    const pts = spec.pins.map((p) => [p.lon, p.lat]);
    if (spec.me) pts.push([spec.me.lon, spec.me.lat]);
    if (spec.focus) {
      map.jumpTo({ center: [spec.focus.lon, spec.focus.lat], zoom: 16 });
    } else if (pts.length > 0) {
      const b = new window.maplibregl.LngLatBounds(pts[0], pts[0]);
      for (const q of pts) b.extend(q);
      map.fitBounds(b, { padding: 40, maxZoom: 16, duration: 0 });
    }
  }

  function update(st, spec, onPin) {
    const map = st.map;
    for (const m of st.markers) m.remove();
    st.markers = spec.pins.map((pin) =>
      new window.maplibregl.Marker({ element: pinElement(pin, onPin), anchor: "bottom" })
        .setLngLat([pin.lon, pin.lat]).addTo(map));
    if (spec.me) {
      const me = new window.maplibregl.Marker({ element: meElement(), rotation: spec.me.heading || 0, rotationAlignment: "map" })
        .setLngLat([spec.me.lon, spec.me.lat]).addTo(map);
      me.getElement().dataset.heading = String(Math.round(spec.me.heading || 0));
      st.markers.push(me);
    }
    const leg = map.getSource("leg");
    if (leg) leg.setData(legData(spec));
    st.el.dataset.legPoints = String((spec.route || []).length);
    if (st.recenter !== spec.recenter) {
      st.recenter = spec.recenter;
      frame(map, spec);
    }
    st.spec = spec;
    st.note.hidden = !outside(map, spec.bounds);
  }

  async function show(el, given, onPin) {
    const spec = typeof given === "string" ? JSON.parse(given) : given;
    if (!webgl()) {
      el.dataset.webgl = "false";
      el.textContent = spec.noWebgl;
      el.classList.add("map-plain");
      return;
    }
    el.dataset.webgl = "true";
    await loadMapLibre();
    let st = el._lastmile;
    if (st && st.contrast !== spec.contrast) {
      st.map.setStyle(style(spec));
      st.contrast = spec.contrast;
    }
    if (!st) {
      const note = document.createElement("div");
      note.className = "map-note";
      note.dataset.testid = "map-not-downloaded";
      note.textContent = spec.notDownloaded;
      note.hidden = true;
      const map = new window.maplibregl.Map({
        container: el,
        style: style(spec),
        attributionControl: false,
        center: spec.focus ? [spec.focus.lon, spec.focus.lat] : [0, 0],
        zoom: 15,
        maxZoom: 19,
        fadeDuration: 0,
        // The canvas follows its container (window resized, phone turned, the stop screen's
        // strip at the 900 px breakpoint): MapLibre 5 watches the container with a
        // ResizeObserver and calls resize(). The E2E resizes the window and the container and
        // reads the canvas size; it fails with this off.
        trackResize: true,
      });
      el.appendChild(note);
      st = { el, map, markers: [], note, contrast: spec.contrast, recenter: null };
      el._lastmile = st;
      map.on("moveend", () => { if (st.spec) st.note.hidden = !outside(map, st.spec.bounds); });
      map.on("idle", () => {
        el.dataset.mapReady = "true";
        firstDrawn();
      });
      map.on("error", (e) => {
        const why = String((e && e.error && e.error.message) || e);
        window.lastmileMap.errors.push(why);
        console.warn("map: " + why);
      });
      window.lastmileMap.maps.push(map);
    }
    st.note.textContent = spec.notDownloaded;
    update(st, spec, onPin);
  }

  // The first map drawn after the app's start, as a timing mark for `cargo xtask bench app`
  // (the shell logs it like the UI's own marks, see src-ui/src/perf.rs).
  let drawnMarked = false;
  function firstDrawn() {
    if (drawnMarked) return;
    drawnMarked = true;
    const at = Date.now();
    const perf = (window.__lastmile_perf = window.__lastmile_perf || {});
    if (!perf.map_drawn) perf.map_drawn = { epoch_ms: at, page_ms: performance.now() };
    window.__TAURI__.core.invoke("perf_mark", { name: "map_drawn", epochMs: at }).catch(() => {});
  }

  function hide(el) {
    const st = el._lastmile;
    if (!st) return;
    const i = window.lastmileMap.maps.indexOf(st.map);
    if (i >= 0) window.lastmileMap.maps.splice(i, 1);
    st.map.remove();
    el._lastmile = null;
  }

  window.lastmileMap = { show, hide, maps: [], errors: [] };
  document.addEventListener("securitypolicyviolation", (e) =>
    window.lastmileMap.errors.push("CSP " + e.violatedDirective + " " + e.blockedURI));
  window.addEventListener("error", (e) => window.lastmileMap.errors.push(String(e.message)));
  window.addEventListener("unhandledrejection", (e) => window.lastmileMap.errors.push(String(e.reason)));
})();
