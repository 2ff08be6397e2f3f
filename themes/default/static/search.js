// sitrep search: runs the search page (search.html). A classic script with no modules,
// fetch or WebAssembly, so it works from file:// as well as on any static host. The index
// is the files next to this script (manifest.js, t<N>.js term shards, d<N>.js document
// shards, f-<facet>.js names of facet values), each a script calling window.sitrepSearch,
// loaded only when a query (or the browse filter) needs it.
// Words are normalised exactly as the index builder does; see docs/search.md.
(function () {
  "use strict";
  var MAX_WORD_CHARS = 64;
  var MAX_PREFIX_SHARDS = 3;
  var PAGE = 10;
  var TITLE_WEIGHT = 10;
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = {};
  for (var v = 0; v < 64; v++) VALUE[DIGITS.charCodeAt(v)] = v;
  var KINDS = { incident: "Incident", figure: "Figure", source: "Source" };

  var script = document.currentScript;
  // As written in the page (relative), so result links stay relative too.
  var base = script ? script.getAttribute("src").replace(/[^\/]*$/, "") : "search/";
  var manifest = null;
  var terms = {};
  var docs = {};
  var labels = {};
  var loading = {};

  var S = (window.sitrepSearch = {
    loaded: [],
    m: function (m) { manifest = m; },
    t: function (n, data) { terms[n] = data; },
    d: function (n, rows) { docs[n] = rows; },
    f: function (facet, names) { labels[facet] = names; },
  });

  /** Loads one index file by appending a <script>; resolves once it has run. */
  function load(file) {
    if (!loading[file]) {
      loading[file] = new Promise(function (resolve, reject) {
        var el = document.createElement("script");
        el.src = base + file;
        el.onload = function () { resolve(); };
        el.onerror = function () { reject(new Error("cannot load the search index (" + file + ")")); };
        S.loaded.push(file);
        document.head.appendChild(el);
      });
    }
    return loading[file];
  }

  /** The words of a text: letters and digits, lowercased, without diacritics. */
  function words(text) {
    var s = text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/ς/g, "σ");
    var out = [];
    var re = /[\p{Alphabetic}\p{N}]+/gu;
    var m;
    while ((m = re.exec(s))) {
      var chars = Array.from(m[0]);
      out.push(chars.length > MAX_WORD_CHARS ? chars.slice(0, MAX_WORD_CHARS).join("") : m[0]);
    }
    return out;
  }

  /** A query as terms; `prefix` says whether the last one also matches longer words. */
  function parse(query) {
    var result = { terms: [], prefix: false };
    var parts = query.split(/\s+/).filter(Boolean);
    parts.forEach(function (part, i) {
      var facet = /^([a-z]+):(.+)$/i.exec(part);
      if (facet && manifest.facets.indexOf(facet[1].toLowerCase()) >= 0) {
        var slug = words(facet[2]).join("-");
        if (slug) result.terms.push(facet[1].toLowerCase() + ":" + slug);
        if (i === parts.length - 1) result.prefix = false;
        return;
      }
      var found = words(part);
      result.terms.push.apply(result.terms, found);
      if (i === parts.length - 1) result.prefix = found.length > 0;
    });
    if (/\s$/.test(query)) result.prefix = false;
    return result;
  }

  /** The position in manifest.shards of the shard that would hold `term`, or -1. */
  function shardIndex(term) {
    var list = manifest.shards;
    var lo = 0;
    var hi = list.length - 1;
    var found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid][1] <= term) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** The shard numbers to load for `term` (and, with `prefix`, the words it begins). */
  function shardsFor(term, prefix) {
    var at = shardIndex(term);
    var out = at >= 0 ? [manifest.shards[at][0]] : [];
    if (!prefix) return out;
    for (var i = at + 1; i < manifest.shards.length && out.length < MAX_PREFIX_SHARDS; i++) {
      if (manifest.shards[i][1].lastIndexOf(term, 0) !== 0) break;
      out.push(manifest.shards[i][0]);
    }
    return out;
  }

  /** Calls `visit` with each document of an encoded set (see docs/search.md). */
  function each(text, visit) {
    var i;
    if (text.charAt(0) === "~") {
      for (i = 1; i < text.length; i++) {
        var digit = VALUE[text.charCodeAt(i)];
        for (var j = 0; j < 6; j++) if (digit & (1 << j)) visit((i - 1) * 6 + j);
      }
      return;
    }
    var prev = -1;
    var gap = 0;
    for (i = 0; i < text.length; i++) {
      var value = VALUE[text.charCodeAt(i)];
      gap = gap * 32 + (value & 31);
      if (value < 32) {
        prev += gap + 1;
        visit(prev);
        gap = 0;
      }
    }
  }

  /** Sets bit `bit` in `flags` for every document of an encoded set. */
  function mark(text, flags, bit) {
    each(text, function (d) { flags[d] |= bit; });
  }

  /** For one term: 1 for each document containing it, 3 where its title does. */
  function termFlags(term, prefix, shards) {
    var flags = new Uint8Array(manifest.docs);
    var own = Object.prototype.hasOwnProperty;
    shards.forEach(function (n) {
      var data = terms[n] || {};
      var keys = prefix ? Object.keys(data) : [term];
      keys.forEach(function (key) {
        if (!own.call(data, key)) return;
        if (prefix && key.lastIndexOf(term, 0) !== 0) return;
        var entry = data[key];
        if (typeof entry === "string") {
          mark(entry, flags, 1);
        } else {
          mark(entry[0], flags, 1);
          mark(entry[1], flags, 2);
        }
      });
    });
    return flags;
  }

  /** Runs a query: resolves to the matching document ids, best first. */
  function search(query) {
    return load("manifest.js").then(function () {
      var q = parse(query);
      if (!q.terms.length) return [];
      var wanted = q.terms.map(function (term, i) {
        return shardsFor(term, q.prefix && i === q.terms.length - 1 && term.length >= 2);
      });
      var files = [];
      wanted.forEach(function (list) {
        list.forEach(function (n) { files.push(load("t" + n + ".js")); });
      });
      return Promise.all(files).then(function () {
        var n = manifest.docs;
        var count = new Uint8Array(n);
        var score = new Uint32Array(n);
        q.terms.forEach(function (term, i) {
          var prefix = q.prefix && i === q.terms.length - 1 && term.length >= 2;
          var flags = termFlags(term, prefix, wanted[i]);
          for (var d = 0; d < n; d++) {
            if (flags[d] && count[d] === i) {
              count[d] = i + 1;
              score[d] += flags[d] & 2 ? TITLE_WEIGHT : 1;
            }
          }
        });
        var hits = [];
        for (var d = 0; d < n; d++) if (count[d] === q.terms.length) hits.push(d);
        hits.sort(function (a, b) { return score[b] - score[a] || a - b; });
        return hits;
      });
    });
  }

  /**
   * Resolves to the values of `facet` among the documents `ids`, as {value: count}: the
   * terms starting with "facet:" (one run of term shards), each counted over `ids`.
   */
  function facetValues(facet, ids) {
    return load("manifest.js").then(function () {
      var prefix = facet + ":";
      var list = manifest.shards;
      var numbers = [];
      for (var i = Math.max(shardIndex(prefix), 0); i < list.length; i++) {
        if (numbers.length && list[i][1].lastIndexOf(prefix, 0) !== 0) break;
        numbers.push(list[i][0]);
      }
      return Promise.all(numbers.map(function (n) { return load("t" + n + ".js"); })).then(function () {
        var within = new Uint8Array(manifest.docs);
        ids.forEach(function (d) { within[d] = 1; });
        var counts = {};
        numbers.forEach(function (n) {
          Object.keys(terms[n] || {}).forEach(function (key) {
            if (key.lastIndexOf(prefix, 0) !== 0) return;
            var entry = terms[n][key];
            var count = 0;
            each(typeof entry === "string" ? entry : entry[0], function (d) { count += within[d]; });
            if (count) counts[key.slice(prefix.length)] = count;
          });
        });
        return counts;
      });
    });
  }

  /** Resolves to the names of the values of `facet` ({value: name}, from f-<facet>.js). */
  function facetLabels(facet) {
    return load("f-" + facet + ".js").then(function () { return labels[facet] || {}; });
  }

  /** Resolves to the rows ([kind, url, title, date, place, snippet]) of `ids`. */
  function rows(ids) {
    var per = manifest.docsPer;
    var files = ids.map(function (id) { return load("d" + Math.floor(id / per) + ".js"); });
    return Promise.all(files).then(function () {
      return ids.map(function (id) { return docs[Math.floor(id / per)][id % per]; });
    });
  }

  S.search = search;
  S.rows = rows;
  S.facetValues = facetValues;
  S.facetLabels = facetLabels;
  S.words = words;

  // The search page.
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  if (!form || !input || !status || !list || !more) return;
  var root = base.replace(/search\/$/, "");
  var hits = [];
  var shown = 0;
  var generation = 0;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  function item(row) {
    var li = el("li", "search-result");
    var a = el("a", "search-link");
    a.href = root + row[1];
    a.appendChild(el("span", "search-kind", KINDS[row[0]] || row[0]));
    a.appendChild(document.createTextNode(" "));
    a.appendChild(el("span", "search-title", row[2]));
    li.appendChild(a);
    var meta = [row[3], row[4]].filter(Boolean).join(" · ");
    if (meta) li.appendChild(el("p", "search-meta", meta));
    if (row[5]) li.appendChild(el("p", "search-snippet", row[5]));
    return li;
  }

  function showMore(mine) {
    var next = hits.slice(shown, shown + PAGE);
    return rows(next).then(function (found) {
      if (mine !== generation) return;
      found.forEach(function (row) { list.appendChild(item(row)); });
      shown += next.length;
      more.hidden = shown >= hits.length;
    });
  }

  /** Runs `query` on the page; afterwards the root element's data-search-done is it. */
  function run(query) {
    var mine = ++generation;
    return show(query, mine).then(function () {
      if (mine === generation) document.documentElement.setAttribute("data-search-done", query);
    });
  }

  function show(query, mine) {
    if (!query.trim()) {
      hits = [];
      list.textContent = "";
      more.hidden = true;
      status.textContent = "Type words to search incidents, figures and sources.";
      return Promise.resolve();
    }
    return search(query).then(function (found) {
      if (mine !== generation) return;
      hits = found;
      shown = 0;
      list.textContent = "";
      var n = found.length;
      status.textContent = n === 0
        ? "No results for “" + query.trim() + "”."
        : n + (n === 1 ? " result" : " results") + " for “" + query.trim() + "”.";
      return showMore(mine);
    }, function (err) {
      if (mine === generation) status.textContent = "Search is unavailable: " + err.message;
    });
  }

  function remember(query) {
    try {
      history.replaceState(null, "", "?q=" + encodeURIComponent(query));
    } catch (e) {
      // Some browsers refuse to change file:// addresses; the results are shown anyway.
    }
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      remember(input.value);
      run(input.value);
    }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    run(input.value);
  });
  more.addEventListener("click", function () {
    var first = shown;
    showMore(generation).then(function () {
      var links = list.querySelectorAll(".search-link");
      if (links[first]) links[first].focus();
    });
  });
  // Arrow keys move between the box and the results; Enter opens the focused result.
  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".search-link"));
  }
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    }
  });
  list.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < all.length) {
      event.preventDefault();
      all[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? all[at - 1] : input).focus();
    }
  });

  document.documentElement.classList.add("search-ready");
  var initial = new URLSearchParams(location.search).get("q") || "";
  input.value = initial;
  run(initial);
})();
