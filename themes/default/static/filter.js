// sitrep browse filter: narrows the incident list of a browse page by facet values. A
// classic script with no modules or fetch, so it works from file:// as well as on any
// static host. Without it the page lists every incident (the form stays hidden).
// The state lives in the URL fragment, "#category=attack&place=turbat", so it survives a
// reload and a link to it can be shared; values are the keys of the search index's facet
// terms ("place:turbat"), which each list item carries in data-facets.
// On a list split into pages (with search on), the filter offers the values of every page
// and finds the matching incidents of every page in the search index: it loads
// search/search.js, which loads the index's manifest, the term shards of the facet terms,
// the names of the facets' values and the document shards of the matches by <script>
// tags, as the search page does.
(function () {
  "use strict";
  var form = document.getElementById("facet-filter");
  var status = document.getElementById("facet-filter-status");
  // On a list split into pages: where the matches of every page are shown.
  var all = document.getElementById("facet-filter-all");
  if (!form || !status) return;
  var selects = form.querySelectorAll("select[data-facet]");
  var items = document.querySelectorAll(".incident-list > li[data-facets]");
  var terms = [];
  for (var i = 0; i < items.length; i++) {
    terms.push(" " + items[i].getAttribute("data-facets") + " ");
  }

  /** The filter in a fragment: {facet: value}, or null when it holds none. */
  function parse(fragment) {
    var text = fragment.replace(/^#/, "");
    if (text.indexOf("=") < 0) return null;
    var state = {};
    var parts = text.split("&");
    for (var n = 0; n < parts.length; n++) {
      var at = parts[n].indexOf("=");
      if (at < 1) continue;
      try {
        state[decodeURIComponent(parts[n].slice(0, at))] = decodeURIComponent(parts[n].slice(at + 1));
      } catch (e) {
        // A malformed escape: that part is left out.
      }
    }
    return state;
  }

  /** The selected values, as {facet: value}. */
  function selected() {
    var state = {};
    for (var n = 0; n < selects.length; n++) {
      if (selects[n].value) state[selects[n].getAttribute("data-facet")] = selects[n].value;
    }
    return state;
  }

  function fragment(state) {
    var parts = [];
    for (var n = 0; n < selects.length; n++) {
      var facet = selects[n].getAttribute("data-facet");
      if (state[facet]) parts.push(encodeURIComponent(facet) + "=" + encodeURIComponent(state[facet]));
    }
    return parts.join("&");
  }

  /** Sets the selects to `state`; a value the page has no option for gets one. */
  function show(state) {
    for (var n = 0; n < selects.length; n++) {
      var select = selects[n];
      var value = state[select.getAttribute("data-facet")] || "";
      var found = false;
      for (var o = 0; o < select.options.length; o++) {
        if (select.options[o].value === value) found = true;
      }
      if (!found) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = all ? value : value + " (0)";
        select.appendChild(option);
      }
      select.value = value;
    }
  }

  /** Hides the items that lack a selected value and says how many are shown. */
  function apply(state, announce) {
    var wanted = [];
    var names = [];
    for (var n = 0; n < selects.length; n++) {
      var select = selects[n];
      var facet = select.getAttribute("data-facet");
      if (!state[facet]) continue;
      wanted.push(" " + facet + ":" + state[facet] + " ");
      var label = select.options[select.selectedIndex];
      names.push(form.querySelector("label[for='" + select.id + "']").textContent + ": " +
        (label ? label.textContent.replace(/ \(\d+\)$/, "") : state[facet]));
    }
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var match = true;
      for (var w = 0; w < wanted.length && match; w++) match = terms[i].indexOf(wanted[w]) >= 0;
      items[i].hidden = !match;
      if (match) shown++;
    }
    var text = "";
    if (wanted.length) {
      text = "Showing " + shown + " of " + items.length + " incidents (" + names.join(", ") + ").";
    } else if (announce) {
      text = "Filter cleared: all " + items.length + " incidents shown.";
    }
    status.textContent = text;
    if (all) everyPage(wanted, names, announce);
  }

  // Every page of a split list: the search index's facet terms.
  var PAGE = 50;
  var results = document.getElementById("facet-filter-results");
  var more = document.getElementById("facet-filter-more");
  var engine = null;
  var generation = 0;
  var hits = [];
  var listed = 0;

  /** Resolves to window.sitrepSearch once search/search.js has run. */
  function searchEngine() {
    if (!engine) {
      engine = new Promise(function (resolve, reject) {
        var el = document.createElement("script");
        el.src = all.getAttribute("data-script");
        el.onload = function () { resolve(window.sitrepSearch); };
        el.onerror = function () { reject(new Error("cannot load the search index")); };
        document.head.appendChild(el);
      });
    }
    return engine;
  }

  function item(row) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = all.getAttribute("data-script").replace(/search\/search\.js$/, "") + row[1];
    a.textContent = row[2];
    li.appendChild(a);
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = [row[3], row[4]].filter(Boolean).join(" · ");
    li.appendChild(document.createTextNode(" "));
    li.appendChild(meta);
    return li;
  }

  /** Lists the next matches; resolves once they are shown. */
  function listMore(S, mine) {
    var next = hits.slice(listed, listed + PAGE);
    return S.rows(next).then(function (rows) {
      if (mine !== generation) return;
      rows.forEach(function (row) { results.appendChild(item(row)); });
      listed += next.length;
      more.hidden = listed >= hits.length;
    });
  }

  /** Shows the incidents of every page that have the `wanted` terms, in place of this
   * page's list; afterwards the root element's data-filter-done is the fragment. */
  function everyPage(wanted, names, announce) {
    var mine = ++generation;
    var done = function () {
      if (mine === generation) document.documentElement.setAttribute("data-filter-done", fragment(selected()));
    };
    var list = items.length ? items[0].parentNode : null;
    if (!wanted.length) {
      all.hidden = true;
      if (list) list.hidden = false;
      results.textContent = "";
      if (announce) status.textContent = "Filter cleared: this page's " + items.length + " incidents shown.";
      return done();
    }
    var query = all.getAttribute("data-terms");
    for (var t = 0; t < wanted.length; t++) query += " " + wanted[t].replace(/^\s+|\s+$/g, "");
    searchEngine().then(function (S) {
      return S.search(query).then(function (found) {
        if (mine !== generation) return;
        hits = found;
        listed = 0;
        results.textContent = "";
        return listMore(S, mine).then(function () {
          if (mine !== generation) return;
          if (list) list.hidden = true;
          all.hidden = false;
          status.textContent = "Showing " + hits.length + " of " + all.getAttribute("data-total") +
            " incidents from every page of this list (" + names.join(", ") + ").";
        });
      });
    }).then(done, function (err) {
      if (mine !== generation) return;
      status.textContent += " The other pages cannot be searched: " + err.message + ".";
      done();
    });
  }

  /** Offers in `select` the values of every page, `counts` ({value: count}), each with its
   * count over the list and named by `names` ({value: name}, as browse pages name them). */
  function offer(select, counts, names) {
    var current = select.value;
    var label = function (value) { return names[value] || value; };
    var values = Object.keys(counts);
    if (select.getAttribute("data-facet") === "month") {
      values.sort().reverse();
    } else {
      values.sort(function (a, b) {
        var x = label(a).toLowerCase();
        var y = label(b).toLowerCase();
        return x < y ? -1 : x > y ? 1 : 0;
      });
    }
    while (select.options.length > 1) select.remove(1);
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = label(value) + " (" + counts[value] + ")";
      select.appendChild(option);
    });
    var state = selected();
    state[select.getAttribute("data-facet")] = current;
    show(state);
  }

  /** Offers the values of every page of the list, from the search index's facet terms;
   * afterwards the root element has data-filter-values. */
  function offerEveryValue() {
    searchEngine().then(function (S) {
      return S.search(all.getAttribute("data-terms")).then(function (ids) {
        return Promise.all(Array.prototype.map.call(selects, function (select) {
          var facet = select.getAttribute("data-facet");
          return Promise.all([S.facetValues(facet, ids), S.facetLabels(facet)]).then(function (found) {
            offer(select, found[0], found[1]);
          });
        }));
      });
    }).then(function () {
      document.documentElement.setAttribute("data-filter-values", "");
    }, function () {
      // This page's values stay offered; the status says why the other pages are missing.
    });
  }

  if (all) {
    more.addEventListener("click", function () {
      var first = listed;
      searchEngine().then(function (S) { return listMore(S, generation); }).then(function () {
        var links = results.querySelectorAll("a");
        if (links[first]) links[first].focus();
      });
    });
  }

  /** Writes `state` into the URL fragment, without adding a history entry if possible. */
  function remember(state) {
    var text = fragment(state);
    var url = location.href.replace(/#.*$/, "") + (text ? "#" + text : "");
    try {
      history.replaceState(history.state, "", url);
    } catch (e) {
      location.hash = text;
    }
  }

  function changed() {
    var state = selected();
    remember(state);
    apply(state, true);
  }

  for (var n = 0; n < selects.length; n++) selects[n].addEventListener("change", changed);
  form.addEventListener("reset", function () {
    // The selects are reset after this event.
    setTimeout(changed, 0);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    changed();
  });
  window.addEventListener("hashchange", function () {
    var state = parse(location.hash);
    if (!state) return; // an anchor such as #main, not a filter
    show(state);
    apply(state, true);
  });
  form.hidden = false;
  var initial = parse(location.hash) || {};
  show(initial);
  apply(initial, false);
  if (all) offerEveryValue();
})();
