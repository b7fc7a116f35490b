/*
 * imr-site static search: reads the index written by generator/search/index.py.
 * A query fetches the manifest, one term shard per word (and its treatment-field twin), one file per
 * chosen filter, and the result cards it shows. The term rules mirror generator/search/terms.py.
 *
 * On the search page the theme puts this script in the page's head, after the manifest (which the
 * build writes into the page: window.imrSearchManifest), and holds the theme's own script back: the
 * query's files are fetched while the page loads, and the theme starts once the results are drawn.
 * Elsewhere (another theme), the search form loads the script itself and the manifest is fetched.
 */
(function () {
  "use strict";

  var RESULTS_PER_PAGE = 10;
  var STOP_WORDS = new Set(("a an and are as at be been but by for from had has have he her his i in " +
    "into is it its not of on or she that the their there they this to was were which who with").split(" "));
  var MAX_NUMBER_DIGITS = 4;
  var MAX_TERM_LENGTH = 30;

  function stem(word) {
    if (word.length > 4 && word.endsWith("ies")) return word.slice(0, -3) + "y";
    if (word.length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
    return word;
  }

  function terms(text) {
    // Marks only matter in non-ASCII text (and compiling \p{M} costs tens of milliseconds).
    var folded = /[^\x00-\x7f]/.test(text) ? text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase() : text.toLowerCase();
    var words = folded.match(/[a-z0-9]+/g) || [];
    var found = [];
    words.forEach(function (word) {
      if (STOP_WORDS.has(word) || word.length > MAX_TERM_LENGTH) return;
      if (/^[0-9]+$/.test(word) && word.length > MAX_NUMBER_DIGITS) return;
      found.push(stem(word));
    });
    return found;
  }

  function fnv1a(term) {
    var bytes = new TextEncoder().encode(term);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  /* Byte reader for the shard and set encodings (see generator/search/encode.py). It reads in
     place and sets are typed arrays: on a page still loading, every allocation is main-thread time. */
  function Reader(buffer) {
    this.bytes = new Uint8Array(buffer);
    this.at = 0;
  }
  Reader.prototype.varint = function () {
    var value = 0, scale = 1, byte;
    do {
      byte = this.bytes[this.at++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return value;
  };
  // Whether the next length-prefixed name is ``wanted`` (bytes); moves past the name either way.
  Reader.prototype.nameIs = function (wanted) {
    var length = this.varint(), bytes = this.bytes, at = this.at, same = length === wanted.length;
    for (var i = 0; same && i < length; i++) same = bytes[at + i] === wanted[i];
    this.at = at + length;
    return same;
  };
  Reader.prototype.skipSet = function () {
    this.at += 1;
    this.varint();
    // Read first: ``this.at += this.varint()`` takes this.at before the varint moves it.
    var length = this.varint();
    this.at += length;
  };
  // A set of document numbers, ascending: deltas as varints (kind 0), read into a typed array, or a
  // bitmap of one bit per document (kind 1), left in place: ``intersection`` ANDs bitmaps as bytes
  // and lists only what is left.
  Reader.prototype.docSet = function () {
    var kind = this.bytes[this.at++];
    var count = this.varint();
    var end = this.varint() + this.at;
    if (kind === 1) {
      var bits = this.bytes.subarray(this.at, end);
      this.at = end;
      return { count: count, bits: bits };
    }
    var docs = new Uint32Array(count);
    for (var n = 0, previous = 0; n < count; n++) docs[n] = previous += this.varint();
    this.at = end;
    return { count: count, docs: docs };
  };

  var NO_DOCS = { count: 0, docs: new Uint32Array(0) };

  function contains(bits, doc) {
    return (bits[doc >> 3] >> (doc & 7)) & 1;
  }

  function bitsListed(bits) {
    var docs = new Uint32Array(bits.length * 8), n = 0;
    for (var at = 0; at < bits.length; at++) {
      for (var byte = bits[at], bit = 0; byte; bit++, byte >>= 1) if (byte & 1) docs[n++] = at * 8 + bit;
    }
    return docs.subarray(0, n);
  }

  // Two ascending lists' common documents.
  function merged(a, b) {
    var out = new Uint32Array(Math.min(a.length, b.length)), n = 0, i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out[n++] = a[i]; i++; j++; }
      else if (a[i] < b[j]) i++;
      else j++;
    }
    return out.subarray(0, n);
  }

  // The documents in every set, ascending. Bitmaps are ANDed a byte at a time: a set is stored as
  // a bitmap only when it holds more than one document in eight, so that costs less than listing
  // it. Lists are merged, smallest first, and what is left is checked against the bitmaps.
  function intersection(sets) {
    var bitmaps = sets.filter(function (set) { return set.bits; });
    var lists = sets.filter(function (set) { return set.docs; });
    var mask = null, bits, at, k;
    if (bitmaps.length) {
      mask = bitmaps[0].bits.slice();
      for (k = 1; k < bitmaps.length; k++) {
        for (bits = bitmaps[k].bits, at = 0; at < mask.length; at++) mask[at] &= bits[at];
      }
    }
    if (!lists.length) return bitsListed(mask);
    lists.sort(function (a, b) { return a.count - b.count; });
    var docs = lists[0].docs;
    for (k = 1; k < lists.length; k++) docs = merged(docs, lists[k].docs);
    if (!mask) return docs;
    var kept = new Uint32Array(docs.length), n = 0;
    for (k = 0; k < docs.length; k++) if (contains(mask, docs[k])) kept[n++] = docs[k];
    return kept.subarray(0, n);
  }

  // Documents matching more words in their treatment first; within a score, in the order given
  // (newest first): a counting sort on the score.
  function byScore(docs, inTreatment, documents) {
    var score = new Uint16Array(documents), top = inTreatment.length, i, k;
    inTreatment.forEach(function (set) {
      if (set.docs) for (k = 0; k < set.docs.length; k++) score[set.docs[k]]++;
      else for (i = 0; i < docs.length; i++) score[docs[i]] += contains(set.bits, docs[i]);
    });
    var starts = new Uint32Array(top + 2);  // by rank: top - score
    for (i = 0; i < docs.length; i++) starts[top - score[docs[i]] + 1]++;
    for (k = 1; k <= top + 1; k++) starts[k] += starts[k - 1];
    var ranked = new Uint32Array(docs.length);
    for (i = 0; i < docs.length; i++) ranked[starts[top - score[docs[i]]]++] = docs[i];
    return ranked;
  }

  function Index(base) {
    this.base = base;
    this.cache = new Map();
    this.searches = new Map();
    if (window.imrSearchManifest) this.cache.set("manifest.json", Promise.resolve(window.imrSearchManifest));
  }
  Index.prototype.fetch = function (path, kind) {
    if (!this.cache.has(path)) {
      this.cache.set(path, fetch(this.base + path).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return kind === "json" ? response.json() : response.arrayBuffer();
      }));
    }
    return this.cache.get(path);
  };
  Index.prototype.manifest = function () { return this.fetch("manifest.json", "json"); };
  Index.prototype.term = function (manifest, term) {
    var base = term.startsWith(manifest.treatment_field) ? term.slice(manifest.treatment_field.length) : term;
    var shard = fnv1a(base) % manifest.shards;
    var wanted = new TextEncoder().encode(term);
    return this.fetch("terms/" + shard + ".bin", "bin").then(function (buffer) {
      var reader = new Reader(buffer);
      reader.at = 4;  // the format's mark
      // Names are compared as bytes: decoding every name of the shard is what took the time.
      for (var count = reader.varint(), k = 0; k < count; k++) {
        if (reader.nameIs(wanted)) return reader.docSet();
        reader.skipSet();
      }
      return NO_DOCS;
    });
  };

  Index.prototype.facet = function (manifest, name, slug) {
    return this.fetch("facets/" + name + "/" + slug + ".bin", "bin").then(function (buffer) {
      return new Reader(buffer).docSet();
    });
  };
  Index.prototype.cards = function (manifest, docs) {
    var self = this, size = manifest.cards_per_chunk;
    return Promise.all(Array.from(docs, function (doc) {
      return self.fetch("cards/" + Math.floor(doc / size) + ".json", "json").then(function (chunk) {
        return chunk[doc % size];
      });
    }));
  };

  // One search per query and filters, however often it is asked for (the prefetch from the page's
  // head and the form's run ask for the same one).
  function search(index, query, filters) {
    var key = JSON.stringify([query, Object.keys(filters).sort().map(function (name) { return [name, filters[name]]; })]);
    if (!index.searches.has(key)) index.searches.set(key, searchOnce(index, query, filters));
    return index.searches.get(key);
  }

  async function searchOnce(index, query, filters) {
    var manifest = await index.manifest();
    var words = Array.from(new Set(terms(query)));
    var chosen = manifest.facets.filter(function (facet) { return filters[facet.name]; });
    var sets = await Promise.all(words.map(function (word) {
      return index.term(manifest, word);
    }).concat(chosen.map(function (facet) {
      return index.facet(manifest, facet.name, filters[facet.name]);
    })));
    if (!sets.length) return { manifest: manifest, docs: [], words: words };
    // Documents are numbered oldest first (so that publishing newer ones leaves the numbers and
    // the index files of the others as they were); results are shown newest first.
    var docs = intersection(sets).slice().reverse();
    if (words.length && docs.length) {
      var inTreatment = await Promise.all(words.map(function (word) {
        return index.term(manifest, manifest.treatment_field + word);
      }));
      docs = byScore(docs, inTreatment, manifest.documents);
    }
    return { manifest: manifest, docs: docs, words: words };
  }

  function highlighted(text, words) {
    var fragment = document.createDocumentFragment();
    text.split(/(\s+)/).forEach(function (part) {
      var hit = words.length && terms(part).some(function (t) { return words.indexOf(t) >= 0; });
      var node = hit ? document.createElement("mark") : null;
      if (node) { node.textContent = part; fragment.appendChild(node); }
      else fragment.appendChild(document.createTextNode(part));
    });
    return fragment;
  }

  function resultItem(card, root, words) {
    var item = document.createElement("li");
    item.className = "imr-result";
    var link = document.createElement("a");
    link.href = root + card[1];
    link.className = "imr-result__title";
    link.textContent = card[0];
    var facts = document.createElement("p");
    facts.className = "imr-result__facts";
    facts.textContent = [card[3], card[2] || "year not stated", card[4] || "specialty not stated"].join(" · ");
    var snippet = document.createElement("p");
    snippet.className = "imr-result__snippet";
    snippet.appendChild(highlighted(card[5], words));
    item.append(link, facts, snippet);
    return item;
  }

  function pagerLink(params, page, label, rel) {
    var copy = new URLSearchParams(params);
    copy.set("page", String(page));
    var link = document.createElement("a");
    link.href = "?" + copy.toString();
    link.rel = rel;
    link.textContent = label;
    return link;
  }

  async function run(container) {
    var form = document.getElementById("imr-search-form");
    var status = document.getElementById("imr-search-status");
    var list = document.getElementById("imr-results");
    var pager = document.getElementById("imr-search-pager");
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "";
    form.elements.q.value = query;
    var filters = {};
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      var value = params.get(select.name) || "";
      select.value = value;
      if (select.value) filters[select.name] = select.value;
    });
    if (!query.trim() && !Object.keys(filters).length) return startTheme();
    status.textContent = "Searching…";
    var found = await search(indexOf(container), query, filters);
    var page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
    var pages = Math.max(1, Math.ceil(found.docs.length / RESULTS_PER_PAGE));
    page = Math.min(page, pages);
    var shown = found.docs.slice((page - 1) * RESULTS_PER_PAGE, page * RESULTS_PER_PAGE);
    var cards = await indexOf(container).cards(found.manifest, shown);
    list.replaceChildren.apply(list, cards.map(function (card) {
      return resultItem(card, container.dataset.root, found.words);
    }));
    list.start = (page - 1) * RESULTS_PER_PAGE + 1;
    var count = found.docs.length;
    status.textContent = count === 0 ? "No determination matches." :
      count + (count === 1 ? " determination matches." : " determinations match.") +
      (pages > 1 ? " Page " + page + " of " + pages + "." : "");
    pager.replaceChildren();
    if (page > 1) pager.appendChild(pagerLink(params, page - 1, "← Previous", "prev"));
    if (page < pages) pager.appendChild(pagerLink(params, page + 1, "Next →", "next"));
    document.body.dataset.imrSearch = "done";
    startTheme();
  }

  // The theme's scripts, held back in a template on the search page so that they do not compete
  // with the search for the page's main thread, start now, in their order. The theme starts on
  // DOMContentLoaded: if that has passed, the event is sent again once its scripts have run.
  function startTheme() {
    var held = document.getElementById("imr-theme-scripts");
    if (!held && document.readyState === "loading") {  // not parsed yet
      document.addEventListener("DOMContentLoaded", startTheme, { once: true });
      return;
    }
    if (!held) return;
    held.remove();
    var waiting = 0;
    function ran() {
      if (--waiting === 0 && document.readyState !== "loading") document.dispatchEvent(new Event("DOMContentLoaded"));
    }
    held.content.querySelectorAll("script").forEach(function (original) {
      var script = document.createElement("script");
      Array.prototype.forEach.call(original.attributes, function (attribute) {
        script.setAttribute(attribute.name, attribute.value);
      });
      script.text = original.text;
      script.async = false;
      if (script.src) { waiting++; script.onload = script.onerror = ran; }
      document.body.appendChild(script);
    });
  }

  var sharedIndex = null;
  function indexOf(container) {
    if (!sharedIndex) sharedIndex = new Index(container.dataset.index);
    return sharedIndex;
  }

  // Run from the page's head (the theme puts the script there on the search page): fetch what
  // the query in the address needs, down to the cards of the page of results it asks for, so
  // that the search run once the form is parsed finds every file already fetched or on its way.
  function prefetch(base) {
    sharedIndex = new Index(base);
    var params = new URLSearchParams(window.location.search);
    var filters = {};
    params.forEach(function (value, name) {
      if (name !== "q" && name !== "page" && value) filters[name] = value;
    });
    var page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
    search(sharedIndex, params.get("q") || "", filters).then(function (found) {
      var shown = found.docs.slice((page - 1) * RESULTS_PER_PAGE, page * RESULTS_PER_PAGE);
      return sharedIndex.cards(found.manifest, shown);
    }).catch(function () {});
  }

  function start() {
    var container = document.getElementById("imr-search");
    if (!container) return;
    run(container).catch(function (error) {
      document.getElementById("imr-search-status").textContent = "Search failed: " + error.message;
      document.body.dataset.imrSearch = "failed";
      startTheme();
    });
  }

  window.imrSearchTerms = terms;
  // The document numbers a query finds, in the order shown (for tests and for checking an index).
  window.imrSearchDocs = function (query, filters) {
    return search(indexOf(document.getElementById("imr-search")), query, filters || {}).then(function (found) {
      return Array.from(found.docs);
    });
  };
  window.imrSearchStart = start;
  if (document.getElementById("imr-search")) start();  // loaded after the form
  else if (window.imrSearchBase) prefetch(window.imrSearchBase);  // loaded in the head
})();
