/* QualityPress site search: reads the static index written at build time (search/index.json,
 * search/terms/N.json, search/lengths.json, search/docs/N.json; format in the README), no server, no libraries.
 * The tokeniser mirrors PressSearch.SearchTokenizer: CJK runs as overlapping pairs of characters
 * (the last character alone), Latin words and numbers lowercased. */
(function () {
  "use strict";

  var root = document.querySelector("[data-search-index]");
  if (!root) return;
  var base = root.getAttribute("data-search-index");
  var form = root.querySelector("form");
  var input = document.getElementById("search-query");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var PAGE = 10;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = {};
  for (var i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;
  var WORD = /[\p{Alphabetic}\p{N}]/u;

  function isCJK(cp) {
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0x20000 && cp <= 0x2EBEF) || (cp >= 0x30000 && cp <= 0x3134F);
  }

  /* The query as units: {cjk: "质量管理"} for a run of CJK characters, {word: "iso"} for a word. */
  function units(text) {
    var result = [];
    var run = "", word = "";
    function endRun() { if (run) result.push({ cjk: run }); run = ""; }
    function endWord() { if (word) result.push({ word: Array.from(word).slice(0, 32).join("").toLowerCase() }); word = ""; }
    for (var ch of text) {
      var cp = ch.codePointAt(0);
      if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A)) {
        cp -= 0xFEE0;
        ch = String.fromCodePoint(cp);
      }
      if (cp < 0x80) {
        endRun();
        if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5A) || (cp >= 0x61 && cp <= 0x7A)) word += ch;
        else endWord();
      } else if (isCJK(cp)) {
        endWord();
        run += ch;
      } else if (WORD.test(ch)) {
        endRun();
        word += ch;
      } else {
        endRun();
        endWord();
      }
    }
    endRun();
    endWord();
    return result;
  }

  /* What each unit looks up: every pair of a run (all must match), or every term starting with a
   * prefix (any may match): one CJK character, or the word being typed at the end of the query. */
  function lookups(query) {
    var found = units(query);
    var typing = !/\s$/.test(query);
    return found.map(function (unit, index) {
      if (unit.cjk) {
        var chars = Array.from(unit.cjk);
        if (chars.length === 1) return { text: unit.cjk, prefix: unit.cjk, key: unit.cjk };
        var terms = [];
        for (var i = 0; i + 1 < chars.length; i++) {
          var pair = chars[i] + chars[i + 1];
          if (terms.indexOf(pair) < 0) terms.push(pair);
        }
        return { text: unit.cjk, terms: terms };
      }
      var letters = Array.from(unit.word);
      if (typing && index === found.length - 1 && letters.length >= 2) {
        return { text: unit.word, prefix: unit.word, key: letters.slice(0, 2).join("") };
      }
      return { text: unit.word, terms: [unit.word] };
    });
  }

  function shardKey(term) {
    var chars = Array.from(term);
    return isCJK(chars[0].codePointAt(0)) ? chars[0] : chars.slice(0, 2).join("");
  }

  // QualityPress's Fingerprint (PressCore): FNV-1a 64 eight bytes at a time with a rotation, then a 0xFF
  // separator. The low 32 bits of a shard key's fingerprint pick its shard, as SearchIndex.shard does.
  var PRIME = BigInt("0x100000001b3"), MASK = BigInt("0xffffffffffffffff");
  function fingerprint(bytes) {
    var hash = BigInt("0xcbf29ce484222325"), i = 0;
    for (; i + 8 <= bytes.length; i += 8) {
      var word = BigInt(0);
      for (var j = 7; j >= 0; j--) word = (word << BigInt(8)) | BigInt(bytes[i + j]);
      hash = ((hash ^ word) * PRIME) & MASK;
      hash = ((hash << BigInt(29)) | (hash >> BigInt(35))) & MASK;
    }
    for (; i < bytes.length; i++) hash = ((hash ^ BigInt(bytes[i])) * PRIME) & MASK;
    return ((hash ^ BigInt(0xff)) * PRIME) & MASK;
  }

  function shardOf(key, count) {
    return Number(fingerprint(new TextEncoder().encode(key)) & BigInt(0xffffffff)) % count;
  }

  /* A term's postings: [document, value] pairs, each number a little-endian base-32 varint (gap to the
   * previous document minus one, then the value: frequency * 2 + 1 when in the title). */
  function decode(postings) {
    var result = [];
    var doc = -1, number = 0, shift = 0, readingGap = true;
    for (var i = 0; i < postings.length; i++) {
      var value = VALUE[postings.charCodeAt(i)];
      number += (value & 31) * Math.pow(2, shift);
      shift += 5;
      if (value & 32) continue;
      if (readingGap) doc += number + 1; else result.push([doc, number]);
      readingGap = !readingGap;
      number = 0;
      shift = 0;
    }
    return result;
  }

  /* A posting's weight, 1–63: BM25 with a title bonus, quantised, exactly as SearchIndex.weight computes it
   * (the same operations in the same order, so the ranking is the same as the Swift one's). */
  var K1 = 1.2, B = 0.75, TITLE_BONUS = 1.5;
  function weight(value, length) {
    var frequency = Math.floor(value / 2);
    var average = meta.docs === 0 ? 1 : Math.max(1, meta.length / meta.docs);
    var norm = K1 * (1 - B + B * length / average);
    var result = frequency * (K1 + 1) / (frequency + norm);
    if (value % 2 === 1) result += TITLE_BONUS;
    return Math.min(63, Math.max(1, Math.round(result / (K1 + 1 + TITLE_BONUS) * 63)));
  }

  var meta = null;
  var cache = new Map();
  function getJSON(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(base + path + "?v=" + meta.stamp).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return response.json();
      }).catch(function (error) { cache.delete(path); throw error; }));
    }
    return cache.get(path);
  }
  function loadMeta() {
    if (meta) return Promise.resolve(meta);
    return fetch(base + "index.json", { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error("index.json: " + response.status);
      return response.json();
    }).then(function (loaded) { meta = loaded; return meta; });
  }

  function idf(df) {
    return Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5));
  }

  /* Documents matching one unit, with their scores; `lengths` is lengths.json, each document's length. */
  function match(unit, shards, lengths) {
    var scores = new Map();
    if (unit.prefix) {
      var terms = shards.get(shardOf(unit.key, meta.shards)) || {};
      Object.keys(terms).forEach(function (term) {
        if (term.lastIndexOf(unit.prefix, 0) !== 0) return;
        var postings = decode(terms[term]);
        var idfWeight = idf(postings.length);
        postings.forEach(function (p) {
          var score = idfWeight * weight(p[1], lengths[p[0]]) / 63;
          if (!(scores.get(p[0]) >= score)) scores.set(p[0], score);
        });
      });
      return scores;
    }
    unit.terms.forEach(function (term, index) {
      var encoded = (shards.get(shardOf(shardKey(term), meta.shards)) || {})[term];
      var postings = encoded ? decode(encoded) : [];
      var idfWeight = idf(postings.length);
      var next = new Map();
      postings.forEach(function (p) {
        if (index === 0 || scores.has(p[0])) next.set(p[0], (scores.get(p[0]) || 0) + idfWeight * weight(p[1], lengths[p[0]]) / 63);
      });
      scores = next;
    });
    return scores;
  }

  function search(query) {
    var wanted = lookups(query);
    if (!wanted.length) return Promise.resolve({ wanted: wanted, results: [], partial: false });
    return loadMeta().then(function () {
      var shardNumbers = new Set();
      wanted.forEach(function (unit) {
        if (unit.prefix) shardNumbers.add(shardOf(unit.key, meta.shards));
        else unit.terms.forEach(function (term) { shardNumbers.add(shardOf(shardKey(term), meta.shards)); });
      });
      var numbers = Array.from(shardNumbers);
      var files = numbers.map(function (n) { return getJSON("terms/" + n + ".json"); });
      return Promise.all(files.concat([getJSON("lengths.json")])).then(function (loaded) {
        var shards = new Map();
        numbers.forEach(function (n, i) { shards.set(n, loaded[i]); });
        var lengths = loaded[numbers.length];
        var matches = wanted.map(function (unit) { return match(unit, shards, lengths); });
        var total = new Map();
        matches.forEach(function (scores) {
          scores.forEach(function (score, doc) {
            var entry = total.get(doc) || { doc: doc, units: 0, score: 0 };
            entry.units += 1;
            entry.score += score;
            total.set(doc, entry);
          });
        });
        var all = Array.from(total.values());
        var complete = all.filter(function (entry) { return entry.units === wanted.length; });
        var partial = complete.length === 0 && wanted.length > 1;
        var results = (partial ? all : complete).sort(function (a, b) {
          return (b.units - a.units) || (b.score - a.score) || (a.doc - b.doc);
        });
        return { wanted: wanted, results: results, partial: partial };
      });
    });
  }

  /* Ranges of `text` to highlight: whole CJK runs of the query, else their pairs; words, case-insensitively. */
  function highlights(text, wanted) {
    var lower = text.toLowerCase();
    var haystack = lower.length === text.length ? lower : text;
    var needles = [];
    wanted.forEach(function (unit) {
      if (haystack.indexOf(unit.text) >= 0 || !unit.terms) needles.push(unit.text);
      else needles = needles.concat(unit.terms);
    });
    var ranges = [];
    needles.forEach(function (needle) {
      if (!needle) return;
      for (var at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) {
        ranges.push([at, at + needle.length]);
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (range) {
      var last = merged[merged.length - 1];
      if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push(range.slice());
    });
    return merged;
  }

  /* Appends `text` to `parent` as text nodes and <mark> elements: page text never goes through innerHTML. */
  function appendMarked(parent, text, ranges, from, to) {
    var at = from;
    ranges.forEach(function (range) {
      var start = Math.max(range[0], from), end = Math.min(range[1], to);
      if (end <= start) return;
      if (start > at) parent.appendChild(document.createTextNode(text.slice(at, start)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      parent.appendChild(mark);
      at = end;
    });
    if (at < to) parent.appendChild(document.createTextNode(text.slice(at, to)));
  }

  function snippet(parent, text, wanted) {
    var ranges = highlights(text, wanted);
    var width = 100;
    var start = 0;
    if (ranges.length && ranges[0][0] > 30) start = ranges[0][0] - 30;
    var end = Math.min(text.length, start + width);
    if (start > 0) parent.appendChild(document.createTextNode("…"));
    appendMarked(parent, text, ranges, start, end);
    if (end < text.length) parent.appendChild(document.createTextNode("…"));
  }

  function documentEntry(doc) {
    var chunk = Math.floor(doc / meta.chunk);
    return getJSON("docs/" + chunk + ".json").then(function (entries) { return entries[doc - chunk * meta.chunk]; });
  }

  function renderResult(entry, wanted) {
    var item = document.createElement("li");
    item.className = "search__result";
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = entry[0];
    appendMarked(link, entry[1], highlights(entry[1], wanted), 0, entry[1].length);
    heading.appendChild(link);
    item.appendChild(heading);
    var metaLine = document.createElement("p");
    metaLine.className = "search__meta";
    metaLine.textContent = entry[3] ? entry[2] + " · " + entry[3] : entry[2];
    item.appendChild(metaLine);
    var text = document.createElement("p");
    text.className = "search__snippet";
    snippet(text, entry[4], wanted);
    item.appendChild(text);
    return item;
  }

  var generation = 0;
  var current = null;

  function showMore() {
    var state = current;
    var next = state.results.slice(state.shown, state.shown + PAGE);
    state.shown += next.length;
    return Promise.all(next.map(function (result) { return documentEntry(result.doc); })).then(function (entries) {
      if (state !== current) return;
      var more = list.parentNode.querySelector(".search__more");
      if (more) more.remove();
      var first = null;
      entries.forEach(function (entry) {
        if (!entry) return;
        var item = renderResult(entry, state.wanted);
        list.appendChild(item);
        if (!first) first = item;
      });
      if (state.shown < state.results.length) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "search__more";
        button.textContent = "显示更多结果";
        button.addEventListener("click", function () {
          var before = list.children.length;
          showMore().then(function () {
            var link = list.children[before] && list.children[before].querySelector("a");
            if (link) link.focus();
          });
        });
        list.parentNode.insertBefore(button, list.nextSibling);
      }
      return first;
    });
  }

  function run(query) {
    var mine = ++generation;
    query = query.trim() ? query : "";
    if (!query) {
      current = null;
      list.textContent = "";
      var old = root.querySelector(".search__more");
      if (old) old.remove();
      status.textContent = "";
      return Promise.resolve();
    }
    return search(query).then(function (found) {
      if (mine !== generation) return;
      current = { wanted: found.wanted, results: found.results, shown: 0 };
      list.textContent = "";
      var old = root.querySelector(".search__more");
      if (old) old.remove();
      return showMore().then(function () {
        if (mine !== generation) return;
        var count = found.results.length;
        if (!count) status.textContent = "没有找到与“" + query + "”相关的页面。";
        else if (found.partial) status.textContent = "没有页面包含全部词语；" + count + " 个页面包含其中一部分。";
        else status.textContent = "找到 " + count + " 个与“" + query + "”相关的页面。";
        root.setAttribute("data-search-state", "done");
      });
    }).catch(function (error) {
      if (mine !== generation) return;
      status.textContent = "搜索索引无法加载（" + error.message + "）。";
      root.setAttribute("data-search-state", "error");
    });
  }

  var timer = null;
  function update() {
    clearTimeout(timer);
    root.setAttribute("data-search-state", "busy");
    timer = setTimeout(function () {
      var url = new URL(window.location.href);
      if (input.value.trim()) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
      run(input.value);
    }, 150);
  }

  /* For tools and benchmarks: every matching document number, best first. */
  window.qpressSearch = function (query) {
    return search(query).then(function (found) { return found.results.map(function (entry) { return entry.doc; }); });
  };

  input.addEventListener("input", update);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    root.setAttribute("data-search-state", "busy");
    run(initial);
  }
})();
