/* City Diplomacy Atlas: search and list filters. Everything here is an enhancement:
   without JavaScript the search box opens the search page and the lists show everything. */
(function () {
  "use strict";

  /* The search page shows Pagefind's results and filters, styled by atlas.css; the header's box
     is the only search box: on this page typing in it updates the results (and the address). */
  function startSearch() {
    var box = document.getElementById("search");
    if (!box || typeof PagefindUI === "undefined") { return; }
    var params = new URLSearchParams(window.location.search);
    var query = (params.get("q") || "").trim();
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: box.getAttribute("data-bundle"),
      baseUrl: box.getAttribute("data-base") || "/",
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      autofocus: false,
      /* no penalty for long pages: an entry named as the query (Barcelona for "barcelona", the
         Climate theme for "climate") ranks above shorter pages that merely mention it; the
         entries' titles also weigh more (data-pagefind-weight in the templates) */
      ranking: { pageLength: 0 },
      /* a large atlas is indexed in shards; readers search them as one */
      mergeIndex: (box.getAttribute("data-merge") || "").split(" ").filter(Boolean).map(function (path) {
        return { bundlePath: path };
      })
    });
    startSearchBox(ui, box, query);
    startSearchFilterToggle(box);
    startSearchStatus(box);
  }

  /* The header box drives the results: as the reader types (after a short pause) and on Enter. */
  function startSearchBox(ui, box, query) {
    var input = document.getElementById("site-search-input");
    var hint = document.getElementById("search-hint");
    var toggle = document.querySelector(".search-filter-toggle");
    var timer = null;
    function showHint(term) {
      if (hint) { hint.hidden = term !== ""; }
      if (toggle) { toggle.hidden = term === ""; }
    }
    function search(term, replace) {
      term = term.trim();
      showHint(term);
      ui.triggerSearch(term);
      var url = new URL(window.location.href);
      if (term) { url.searchParams.set("q", term); } else { url.searchParams.delete("q"); }
      if (replace) { window.history.replaceState(null, "", url.pathname + url.search + url.hash); }
    }
    showHint(query);
    if (input) {
      input.value = query;
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { search(input.value, true); }, 250);
      });
      input.form.addEventListener("submit", function (event) {
        event.preventDefault();
        window.clearTimeout(timer);
        search(input.value, true);
      });
    }
    /* A search started before Pagefind has shown its filters gets them with the whole index's
       counts, which then overwrite the results' counts: wait for the filters (about 3 s at most). */
    if (query) { whenShown(box, ".pagefind-ui__filter-checkbox", 180, function () { search(query, false); }); }
  }

  /* On a phone the filters fold behind one "Filter" button, so the first result is in view. */
  function startSearchFilterToggle(box) {
    var button = document.querySelector(".search-filter-toggle");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      if (open) { box.setAttribute("data-filters-open", ""); } else { box.removeAttribute("data-filters-open"); }
    });
  }

  /* Pagefind's "N results for ..." is not announced; a status region repeats it for screen readers. */
  function startSearchStatus(box) {
    var status = document.getElementById("search-status");
    if (!status || typeof MutationObserver === "undefined") { return; }
    new MutationObserver(function () {
      var message = box.querySelector(".pagefind-ui__message");
      var text = message ? message.textContent.trim() : "";
      if (status.textContent !== text) { status.textContent = text; }
    }).observe(box, { childList: true, subtree: true, characterData: true });
  }

  /* Pagefind draws its parts after it loads: call then(element) once `selector` is in `box`,
     or then(null) after `frames` animation frames without it. */
  function whenShown(box, selector, frames, then) {
    var element = box.querySelector(selector);
    if (element || frames <= 0) { then(element); return; }
    window.requestAnimationFrame(function () { whenShown(box, selector, frames - 1, then); });
  }

  /* Lists marked data-facets get one <select> per facet; items carry data-<facet> values
     separated by "|". Choosing values hides the items that do not match all of them. */
  function startFacets() {
    var lists = document.querySelectorAll("[data-facets]");
    Array.prototype.forEach.call(lists, function (list) {
      var facets = list.getAttribute("data-facets").split(" ");
      var items = list.querySelectorAll("[data-item]");
      var groups = list.querySelectorAll("[data-group]");
      var form = document.createElement("form");
      form.className = "facet-form";
      form.setAttribute("aria-label", "Filter the list");
      var status = document.createElement("p");
      status.className = "facet-status";
      status.setAttribute("role", "status");
      var selects = {};
      facets.forEach(function (facet) {
        var values = {};
        Array.prototype.forEach.call(items, function (item) {
          (item.getAttribute("data-" + facet) || "").split("|").forEach(function (v) { if (v) { values[v] = true; } });
        });
        var names = Object.keys(values).sort();
        if (!names.length) { return; }
        var id = "facet-" + facet + "-" + Math.random().toString(36).slice(2, 8);
        var label = document.createElement("label");
        label.setAttribute("for", id);
        label.textContent = list.getAttribute("data-label-" + facet) || facet;
        var select = document.createElement("select");
        select.id = id;
        var all = document.createElement("option");
        all.value = "";
        all.textContent = "All";
        select.appendChild(all);
        names.forEach(function (name) {
          var option = document.createElement("option");
          option.value = name;
          option.textContent = name;
          select.appendChild(option);
        });
        select.addEventListener("change", apply);
        var field = document.createElement("div");
        field.className = "facet-field";
        field.appendChild(label);
        field.appendChild(select);
        form.appendChild(field);
        selects[facet] = select;
      });
      function apply() {
        var shown = 0;
        Array.prototype.forEach.call(items, function (item) {
          var ok = Object.keys(selects).every(function (facet) {
            var wanted = selects[facet].value;
            return !wanted || (item.getAttribute("data-" + facet) || "").split("|").indexOf(wanted) !== -1;
          });
          item.hidden = !ok;
          if (ok) { shown += 1; }
        });
        Array.prototype.forEach.call(groups, function (group) {
          group.hidden = !group.querySelector("[data-item]:not([hidden])");
        });
        status.textContent = shown + " of " + items.length + " shown";
      }
      list.parentNode.insertBefore(form, list);
      list.parentNode.insertBefore(status, list);
      apply();
    });
  }

  /* The year control (templates/macros.html, year_control): a range whose last step means "all years".
     Rows marked data-dated show only when in force in the year chosen (data-since <= year <= data-until;
     a row whose start is not recorded hides); the map script hears "atlas:year" and does the same. */
  function startYearControl() {
    var form = document.querySelector("[data-year-control]");
    if (!form) { return; }
    var input = form.querySelector("input[type=range]");
    var output = form.querySelector("output");
    var status = form.querySelector("[role=status]");
    var all = Number(input.getAttribute("data-all"));
    var rows = document.querySelectorAll("[data-dated]");
    var sections = [];
    Array.prototype.forEach.call(rows, function (row) {  /* and a country's group of members in a list */
      [row.closest("section"), row.closest(".grouped-list > div")].forEach(function (section) {
        if (section && sections.indexOf(section) === -1) { sections.push(section); }
      });
    });
    function inForce(element, year) {
      var since = element.getAttribute("data-since"), until = element.getAttribute("data-until");
      return since !== "" && Number(since) <= year && (until === "" || year <= Number(until));
    }
    function apply() {
      var value = Number(input.value);
      var year = value >= all ? null : value;
      var text = year === null ? "All years" : String(year);
      output.textContent = text;
      input.setAttribute("aria-valuetext", text);
      var shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var ok = year === null || inForce(row, year);
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      /* a section or group left with nothing in force that year (the suspended and ended ties in 2000) hides too */
      Array.prototype.forEach.call(sections, function (section) {
        section.hidden = !section.querySelector("[data-dated]:not([hidden])");
      });
      status.textContent = year === null ? "" : rows.length
        ? shown + " of " + rows.length + " in force in " + year
        : "The map shows what was in force in " + year;
      if (year === null) { document.documentElement.removeAttribute("data-as-of"); }
      else { document.documentElement.setAttribute("data-as-of", String(year)); }
      document.dispatchEvent(new CustomEvent("atlas:year", {detail: {year: year}}));
    }
    input.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function startMenu() {
    var button = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!button || !nav) { return; }
    nav.setAttribute("data-foldable", "");
    button.hidden = false;
    button.addEventListener("click", function () {
      button.setAttribute("aria-expanded", String(button.getAttribute("aria-expanded") !== "true"));
    });
  }

  startMenu();
  startSearch();
  startFacets();
  startYearControl();
}());
