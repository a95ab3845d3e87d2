/* City Diplomacy Atlas: search and list filters. Everything here is an enhancement:
   without JavaScript the search box opens the search page and the lists show everything. */
(function () {
  "use strict";

  function startSearch() {
    var box = document.getElementById("search");
    if (!box || typeof PagefindUI === "undefined") { return; }
    var ui = new PagefindUI({
      element: "#search",
      bundlePath: box.getAttribute("data-bundle"),
      baseUrl: box.getAttribute("data-base") || "/",
      showImages: false,
      showSubResults: true,
      resetStyles: false,
      /* no penalty for long pages: an entry named as the query (Barcelona for "barcelona", the
         Climate theme for "climate") ranks above shorter pages that merely mention it */
      ranking: { pageLength: 0 },
      autofocus: !new URLSearchParams(window.location.search).get("q"),
      /* a large atlas is indexed in shards; readers search them as one */
      mergeIndex: (box.getAttribute("data-merge") || "").split(" ").filter(Boolean).map(function (path) {
        return { bundlePath: path };
      })
    });
    labelSearchInput(box);
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { afterFiltersLoad(box, function () { ui.triggerSearch(query); }); }
  }

  /* A search started before Pagefind has shown its filters gets them with the whole index's
     counts, which then overwrite the results' counts: wait for the filters (about 3 s at most). */
  function afterFiltersLoad(box, then, attempt) {
    if (box.querySelector(".pagefind-ui__filter-checkbox") || (attempt || 0) >= 180) { then(); return; }
    window.requestAnimationFrame(function () { afterFiltersLoad(box, then, (attempt || 0) + 1); });
  }

  /* Pagefind's box has only a placeholder; give it a visible label, as forms should have. */
  function labelSearchInput(box, attempt) {
    var input = box.querySelector(".pagefind-ui__search-input");
    if (!input) {
      if ((attempt || 0) < 50) { window.requestAnimationFrame(function () { labelSearchInput(box, (attempt || 0) + 1); }); }
      return;
    }
    input.id = "search-page-input";
    var label = document.createElement("label");
    label.setAttribute("for", input.id);
    label.className = "search-label";
    label.textContent = "Search terms";
    box.insertBefore(label, box.firstChild);
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

  startSearch();
  startFacets();
}());
