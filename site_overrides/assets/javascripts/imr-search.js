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
  var ITEMS_SHOWN = 3;  // matching items shown under one determination
  var STOP_WORDS = new Set(("a an and are as at be been but by for from had has have he her his i in " +
    "into is it its not of on or she that the their there they this to was were which who with " +
    "mg mcg ml g gm gms cc mm cm").split(" "));
  var MAX_NUMBER_DIGITS = 4;
  var MAX_TERM_LENGTH = 30;
  var ENDINGS = ["ical", "ic", "or", "y"], STEM_MIN_LENGTH = 7, STEM_KEEP = 5;
  var TYPO_MIN_LENGTH = 5;
  /* A group's score per item: matched by one of its concepts of the kind the query is about (a
     treatment, category, body part or drug; or, when a group names only guidelines, what the
     reviewer cited), else by one of its other concepts, plus one when the item as written holds
     its words. A query's numbers (10/325, 50mg, 12 sessions) rank what holds them first but do
     not leave out what does not, unless the query is numbers only. */
  var PRIMARY_SCORE = 3, SECONDARY_SCORE = 2, WRITTEN_SCORE = 1, GROUP_TOP = 4;
  var GUIDELINE_CONCEPT = /^[gfs]:/;

  function stem(word) {
    if (word.length > 4 && word.endsWith("ies")) word = word.slice(0, -3) + "y";
    else if (word.length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word)) word = word.slice(0, -1);
    if (word.length >= STEM_MIN_LENGTH) {
      for (var i = 0; i < ENDINGS.length; i++) {
        if (word.endsWith(ENDINGS[i]) && word.length - ENDINGS[i].length >= STEM_KEEP) return word.slice(0, -ENDINGS[i].length);
      }
    }
    return word;
  }

  function terms(text) {
    // Marks only matter in non-ASCII text (and compiling \p{M} costs tens of milliseconds).
    var folded = /[^\x00-\x7f]/.test(text) ? text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase() : text.toLowerCase();
    var words = folded.match(/[a-z]+|[0-9]+/g) || [];
    var found = [];
    words.forEach(function (word) {
      if (STOP_WORDS.has(word) || word.length > MAX_TERM_LENGTH) return;
      if (/^[0-9]+$/.test(word) && word.length > MAX_NUMBER_DIGITS) return;
      found.push(stem(word));
    });
    return found;
  }

  // Whether two words are one edit apart (a letter added, dropped, changed, or two swapped).
  function oneEditApart(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /* A query in the field's words: the longest phrases the vocabulary knows (a brand, a generic
     name, an abbreviation, a body part, a guideline or a page of one) become groups matching
     their concepts or their words; other words match as written, or, when a longer word is not
     in the vocabulary, also the vocabulary's words one edit away ("acupunture") if no item holds
     it as written (``corrected``). Every group must match (see docs/search.md). */
  function expand(words, vocabulary) {
    var phrases = vocabulary.phrases, groups = [], at = 0;
    while (at < words.length) {
      var length = Math.min(vocabulary.longest, words.length - at), key = null;
      for (; length > 1; length--) {
        key = words.slice(at, at + length).join(" ");
        if (phraseOf(phrases, key)) break;
      }
      if (length === 1) key = words[at];
      var group = { words: words.slice(at, at + length), concepts: (phraseOf(phrases, key) || []).slice(), alternatives: [] };
      if (length === 1 && !phraseOf(phrases, key) && key.length >= TYPO_MIN_LENGTH && !/^[0-9]+$/.test(key)) {
        typoWords(vocabulary).forEach(function (known) {
          if (oneEditApart(key, known)) group.alternatives.push(known);
        });
      }
      groups.push(group);
      at += length;
    }
    return groups;
  }

  // A phrase's concepts, or null (the phrases are a plain object: no inherited name is a phrase).
  function phraseOf(phrases, key) {
    return Object.prototype.hasOwnProperty.call(phrases, key) ? phrases[key] : null;
  }

  // A word no item holds is read as the vocabulary's words one edit away, with their concepts.
  function corrected(group, vocabulary, literal) {
    if (!group.alternatives.length) return group;
    if (literal.count > 0) return Object.assign({}, group, { alternatives: [] });
    var concepts = group.concepts.slice();
    group.alternatives.forEach(function (known) {
      (phraseOf(vocabulary.phrases, known) || []).forEach(function (concept) {
        if (concepts.indexOf(concept) < 0) concepts.push(concept);
      });
    });
    return Object.assign({}, group, { concepts: concepts });
  }

  var typoCache = new WeakMap();
  function typoWords(vocabulary) {
    if (!typoCache.has(vocabulary)) {
      var words = new Set(vocabulary.typo);
      Object.keys(vocabulary.phrases).forEach(function (key) {
        if (key.indexOf(" ") < 0 && key.length >= TYPO_MIN_LENGTH && !/^[0-9]+$/.test(key)) words.add(key);
      });
      typoCache.set(vocabulary, Array.from(words));
    }
    return typoCache.get(vocabulary);
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

  /* Set algebra on bitmaps of one bit per item (bit i of byte i >> 3): sets of items are at most
     a few kilobytes even at tens of thousands of determinations, and unions (a group's concepts
     and words) and intersections (every group, every filter) are then a loop over bytes. */
  function asBitmap(set, bytes) {
    if (set.bits) return set.bits;
    var bits = new Uint8Array(bytes);
    for (var k = 0; k < set.docs.length; k++) bits[set.docs[k] >> 3] |= 1 << (set.docs[k] & 7);
    return bits;
  }
  function union(bitmaps, bytes) {
    var out = new Uint8Array(bytes);
    bitmaps.forEach(function (bits) { for (var at = 0; at < bytes; at++) out[at] |= bits[at]; });
    return out;
  }
  function intersect(bitmaps, bytes) {
    var out = bitmaps[0].slice();
    for (var k = 1; k < bitmaps.length; k++) {
      for (var bits = bitmaps[k], at = 0; at < bytes; at++) out[at] &= bits[at];
    }
    return out;
  }
  function contains(bits, doc) {
    return (bits[doc >> 3] >> (doc & 7)) & 1;
  }
  // The documents of a bitmap, newest (highest) first.
  function listedNewestFirst(bits) {
    var docs = [];
    for (var at = bits.length - 1; at >= 0; at--) {
      var byte = bits[at];
      if (!byte) continue;
      for (var bit = 7; bit >= 0; bit--) if ((byte >> bit) & 1) docs.push(at * 8 + bit);
    }
    return docs;
  }

  // Which determination (numbered oldest first) each item is in, from the bitmap of first items.
  function Determinations(starts) {
    this.starts = starts;
    this.before = new Uint32Array(starts.length + 1);
    for (var at = 0; at < starts.length; at++) this.before[at + 1] = this.before[at] + popcount(starts[at]);
  }
  Determinations.prototype.of = function (doc) {
    var at = doc >> 3, byte = this.starts[at] & ((2 << (doc & 7)) - 1);
    return this.before[at] + popcount(byte) - 1;
  };
  function popcount(byte) {
    var n = 0;
    for (; byte; byte &= byte - 1) n++;
    return n;
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

  Index.prototype.determinations = function () {
    if (!this.starts) {
      this.starts = this.fetch("starts.bin", "bin").then(function (buffer) {
        return new Determinations(new Uint8Array(buffer));
      });
    }
    return this.starts;
  };

  // One search per query and filters, however often it is asked for (the prefetch from the page's
  // head and the form's run ask for the same one).
  function search(index, query, filters, options) {
    options = options || {};
    var key = JSON.stringify([query, Object.keys(filters).sort().map(function (name) { return [name, filters[name]]; }), !!options.mentions]);
    if (!index.searches.has(key)) index.searches.set(key, searchOnce(index, query, filters, options));
    return index.searches.get(key);
  }

  // A group's sets: the items it matches (its concepts, or all its words anywhere, or a word one
  // edit away), those matched by a concept and those whose treatment as written holds its words.
  async function groupSets(index, manifest, group, bytes) {
    var concepts = manifest.vocabulary.concepts, field = manifest.treatment_field;
    if (group.alternatives.length) group = corrected(group, manifest.vocabulary, await index.term(manifest, group.words[0]));
    var conceptSets = group.concepts.map(function (number) { return index.term(manifest, concepts[number][0]); });
    var spellings = [group.words].concat(group.alternatives.map(function (word) { return [word]; }));
    var wordSets = spellings.map(function (words) {
      return Promise.all(words.map(function (word) { return index.term(manifest, word); }));
    });
    var treatmentSets = spellings.map(function (words) {
      return Promise.all(words.map(function (word) { return index.term(manifest, field + word); }));
    });
    var all = await Promise.all([Promise.all(conceptSets), Promise.all(wordSets), Promise.all(treatmentSets)]);
    function together(sets) { return intersect(sets.map(function (set) { return asBitmap(set, bytes); }), bytes); }
    function ofKind(guidelines) {
      return union(all[0].filter(function (_set, k) {
        return GUIDELINE_CONCEPT.test(concepts[group.concepts[k]][0]) === guidelines;
      }).map(function (set) { return asBitmap(set, bytes); }), bytes);
    }
    var treatmentConcepts = ofKind(false), guidelineConcepts = ofKind(true);
    var written = union(all[1].map(together), bytes);
    return {
      group: group,
      match: union([treatmentConcepts, guidelineConcepts, written], bytes),
      treatmentConcepts: treatmentConcepts,
      guidelineConcepts: guidelineConcepts,
      treatment: union(all[2].map(together), bytes),
      optional: group.words.every(function (word) { return /^[0-9]+$/.test(word); }),
    };
  }

  // Whether a query asks about guidelines: one of its groups names guidelines only ("MTUS",
  // "ACOEM Low Back", "ODG"); then what the reviewer cited ranks first in every group.
  function aboutGuidelines(groups, vocabulary) {
    return groups.some(function (group) {
      return group.concepts.length > 0 && group.concepts.every(function (number) {
        return GUIDELINE_CONCEPT.test(vocabulary.concepts[number][0]);
      });
    });
  }

  async function searchOnce(index, query, filters, options) {
    var manifest = await index.manifest();
    var bytes = (manifest.documents + 7) >> 3;
    var groups = expand(terms(query), manifest.vocabulary);  // typo corrections still candidates
    var chosen = manifest.facets.filter(function (facet) { return filters[facet.name]; });
    var found = await Promise.all([
      Promise.all(groups.map(function (group) { return groupSets(index, manifest, group, bytes); })),
      Promise.all(chosen.map(function (facet) { return index.facet(manifest, facet.name, filters[facet.name]); })),
      index.determinations(),
    ]);
    groups = found[0].map(function (set) { return set.group; });  // with the corrections made
    var everyOptional = found[0].every(function (set) { return set.optional; });
    found[0].forEach(function (set) { if (everyOptional) set.optional = false; });
    var required = found[0].filter(function (set) { return !set.optional; });
    var sets = required.map(function (set) { return set.match; }).concat(found[1].map(function (set) { return asBitmap(set, bytes); }));
    var result = { manifest: manifest, groups: groups, docs: [], determinations: [] };
    if (!sets.length) return result;
    // Items are numbered oldest first (so that publishing newer ones leaves the numbers and the
    // index files of the others as they were): listed newest first, then ranked by score.
    var docs = listedNewestFirst(intersect(sets, bytes));
    var ranked = groups.length ? byScore(docs, found[0], aboutGuidelines(groups, manifest.vocabulary)) : { decided: docs, mentioned: [] };
    // Items whose treatment (or cited guideline) matches every group are the answer; items that
    // only mention the words elsewhere (a history, another item's rationale) come after them
    // when asked for (mentions=1), or alone when no item's treatment matches.
    // A query naming a treatment, body part or guideline lists only items it names; free words
    // ("functional improvement") list the items that hold them.
    result.decided = ranked.decided.length > 0;
    var named = groups.some(function (group) { return group.concepts.length > 0; });
    var onlyMentioned = !result.decided && !named;
    result.docs = onlyMentioned || options.mentions ? ranked.decided.concat(ranked.mentioned) : ranked.decided;
    result.determinations = byDetermination(result.docs, found[2]);
    if (!onlyMentioned && !options.mentions && ranked.mentioned.length) {
      result.mentionedOnly = byDetermination(ranked.decided.concat(ranked.mentioned), found[2]).length - result.determinations.length;
    }
    return result;
  }

  // Items ranked by the sum of their groups' scores, newest first within a score (a stable
  // counting sort); apart, those that some group matched only outside their treatment.
  function byScore(docs, groupSetsFound, guidelines) {
    var top = groupSetsFound.length * GROUP_TOP, buckets = [], mentioned = [];
    for (var k = 0; k <= top; k++) buckets.push([]);
    docs.forEach(function (doc) {
      var score = 0, everyGroup = true;
      groupSetsFound.forEach(function (set) {
        var primary = guidelines ? set.guidelineConcepts : set.treatmentConcepts;
        var secondary = guidelines ? set.treatmentConcepts : set.guidelineConcepts;
        var own = (contains(primary, doc) ? PRIMARY_SCORE : contains(secondary, doc) ? SECONDARY_SCORE : 0) +
          (contains(set.treatment, doc) ? WRITTEN_SCORE : 0);
        score += own;
        everyGroup = everyGroup && (own > 0 || set.optional);
      });
      if (everyGroup) buckets[top - score].push(doc);
      else mentioned.push([top - score, doc]);
    });
    mentioned.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    return { decided: [].concat.apply([], buckets), mentioned: mentioned.map(function (pair) { return pair[1]; }) };
  }

  // Each determination once, where its best item ranks, with its matching items in rank order.
  function byDetermination(docs, determinations) {
    var listed = new Map();
    docs.forEach(function (doc) {
      var number = determinations.of(doc);
      if (!listed.has(number)) listed.set(number, []);
      listed.get(number).push(doc);
    });
    return Array.from(listed.values());
  }

  // What a query was searched as, for the page: each group's words with what they stand for.
  function searchedFor(found) {
    var concepts = found.manifest.vocabulary.concepts;
    return found.groups.map(function (group) {
      var text = group.words.join(" ");
      if (group.alternatives.length) text += " (or " + group.alternatives.join(", ") + ")";
      var named = group.concepts.slice(0, 4).map(function (number) { return concepts[number][1]; });
      if (group.concepts.length > 4) named.push((group.concepts.length - 4) + " more");
      return named.length ? text + " → " + named.join("; ") : text;
    }).join(" + ");
  }

  // The treatments nearest a query that matched nothing: those whose name shares a word's first
  // four letters or is one or two edits from it, the most decided first.
  function nearestTreatments(found, query) {
    var words = terms(query).filter(function (word) { return word.length >= 3; });
    var treatments = found.manifest.vocabulary.concepts.filter(function (concept) { return concept[0].startsWith("c:"); });
    function near(label) {
      return terms(label).some(function (name) {
        return words.some(function (word) {
          return (word.length >= 4 && name.slice(0, 4) === word.slice(0, 4)) || oneEditApart(word, name) ||
            twoEditsApart(word, name);
        });
      });
    }
    var close = treatments.filter(function (concept) { return near(concept[1]); });
    if (!close.length) close = treatments;
    return close.slice().sort(function (a, b) { return b[2] - a[2]; }).slice(0, 5);
  }
  function twoEditsApart(a, b) {
    if (a.length < TYPO_MIN_LENGTH || Math.abs(a.length - b.length) > 2) return false;
    for (var i = 0; i <= a.length; i++) {
      var shorter = a.slice(0, i) + a.slice(i + 1);
      if (oneEditApart(shorter, b) || shorter === b) return true;
      for (var j = 0; j <= b.length; j++) if (oneEditApart(a, b.slice(0, j) + b.slice(j + 1))) return true;
    }
    return false;
  }

  // The words to mark in a snippet: the query's, their corrections, and every phrase the
  // vocabulary has for the concepts they named ("Norco" for a search for hydrocodone).
  function markedWords(found) {
    var marked = new Set(), wanted = new Set();
    found.groups.forEach(function (group) {
      group.words.concat(group.alternatives).forEach(function (word) { marked.add(word); });
      group.concepts.forEach(function (number) { wanted.add(number); });
    });
    var phrases = found.manifest.vocabulary.phrases;
    Object.keys(phrases).forEach(function (key) {
      if (phrases[key].some(function (number) { return wanted.has(number); })) {
        key.split(" ").forEach(function (word) { if (word.length > 2 && !/^[0-9]+$/.test(word)) marked.add(word); });
      }
    });
    return marked;
  }

  // About SNIPPET_LENGTH characters of the rationale around its first marked word (its start when
  // none is there).
  var SNIPPET_LENGTH = 240, SNIPPET_BEFORE = 70;
  function snippet(text, marked) {
    var pattern = /[A-Za-z]+|[0-9]+/g, match, start = 0;
    while ((match = pattern.exec(text))) {
      if (terms(match[0]).some(function (word) { return marked.has(word); })) {
        start = Math.max(0, match.index - SNIPPET_BEFORE);
        break;
      }
    }
    if (start > 0) start = text.indexOf(" ", start) + 1;
    var end = Math.min(text.length, start + SNIPPET_LENGTH);
    if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), start + 1);
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length && !text.endsWith("…") ? " …" : "");
  }

  function highlighted(text, marked) {
    var fragment = document.createDocumentFragment();
    text.split(/(\s+)/).forEach(function (part) {
      var hit = terms(part).some(function (t) { return marked.has(t); });
      var node = hit ? document.createElement("mark") : null;
      if (node) { node.textContent = part; fragment.appendChild(node); }
      else fragment.appendChild(document.createTextNode(part));
    });
    return fragment;
  }

  // Card fields (generator/search/index.py, result_rows).
  var URL = 0, TITLE = 1, YEAR = 2, SPECIALTY = 3, WRITTEN = 4, DECISION = 5, TREATMENT = 6,
    CATEGORY = 7, GUIDELINE = 8, EXCERPT = 9;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function itemFacts(card) {
    var facts = element("p", "imr-result__facts");
    var badge = element("span", "imr-badge imr-badge--" + card[DECISION], card[DECISION].charAt(0).toUpperCase() + card[DECISION].slice(1));
    var treatment = card[TREATMENT] ? card[TREATMENT] + (card[CATEGORY] ? " (" + card[CATEGORY] + ")" : "") : "treatment not classified";
    facts.append(badge, " " + treatment + " · reviewer's guideline: " + (card[GUIDELINE] || "not stated"));
    return facts;
  }

  // One determination: its best matching item (as written, with its decision, treatment,
  // guideline and a snippet), its other matching items, and the determination it is in.
  function resultItem(cards, matching, root, marked) {
    var first = cards[0], item = element("li", "imr-result");
    var link = element("a", "imr-result__title", first[WRITTEN]);
    link.href = root + first[URL];
    var text = element("p", "imr-result__snippet");
    text.appendChild(highlighted(snippet(first[EXCERPT], marked), marked));
    item.append(link, itemFacts(first), text);
    if (cards.length > 1) {
      var more = element("ul", "imr-result__more");
      cards.slice(1).forEach(function (card) {
        var entry = element("li"), other = element("a", null, card[WRITTEN]);
        other.href = root + card[URL];
        entry.append(other, itemFacts(card));
        more.appendChild(entry);
      });
      item.appendChild(more);
    }
    var from = element("p", "imr-result__from", "In: ");
    var page = element("a", null, first[TITLE]);
    page.href = root + first[URL].split("#")[0];
    var extra = matching > cards.length ? " · " + (matching - cards.length) + " more matching item" + (matching - cards.length > 1 ? "s" : "") : "";
    from.append(page, " · " + (first[YEAR] || "year not stated") + " · " + (first[SPECIALTY] || "specialty not stated") + extra);
    item.appendChild(from);
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

  function shownItems(found, page) {
    return found.determinations.slice((page - 1) * RESULTS_PER_PAGE, page * RESULTS_PER_PAGE).map(function (docs) {
      return docs.slice(0, ITEMS_SHOWN);
    });
  }

  function noMatch(found, query, list) {
    var nearest = nearestTreatments(found, query);
    var item = element("li", "imr-result imr-result--none");
    item.appendChild(element("p", null, nearest.length ? "Nearest treatments:" : "No treatment is near it."));
    var options = element("ul");
    nearest.forEach(function (concept) {
      var entry = element("li"), link = element("a", null, concept[1]);
      link.href = "?q=" + encodeURIComponent(concept[1]);
      entry.append(link, " (" + concept[2] + " item" + (concept[2] === 1 ? "" : "s") + ")");
      options.appendChild(entry);
    });
    item.appendChild(options);
    list.replaceChildren(item);
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
    var index = indexOf(container);
    var options = { mentions: params.get("mentions") === "1" };
    var found = await search(index, query, filters, options);
    var page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
    var pages = Math.max(1, Math.ceil(found.determinations.length / RESULTS_PER_PAGE));
    page = Math.min(page, pages);
    var shown = shownItems(found, page);
    var cards = await Promise.all(shown.map(function (docs) { return index.cards(found.manifest, docs); }));
    var marked = markedWords(found), start = (page - 1) * RESULTS_PER_PAGE;
    list.replaceChildren.apply(list, cards.map(function (group, k) {
      return resultItem(group, found.determinations[start + k].length, container.dataset.root, marked);
    }));
    list.start = start + 1;
    var items = found.docs.length, count = found.determinations.length;
    var searched = found.groups.length ? " Searched for: " + searchedFor(found) + "." : "";
    status.textContent = items === 0 ? "No item matches." + searched :
      items + (items === 1 ? " item" : " items") + " in " + count + (count === 1 ? " determination" : " determinations") +
      (found.decided || !found.groups.length ? " match." : " mention the words (no item's treatment or cited guideline matches).") +
      (pages > 1 ? " Page " + page + " of " + pages + "." : "") + searched;
    if (found.mentionedOnly) {
      var all = new URLSearchParams(params);
      all.set("mentions", "1");
      all.delete("page");
      var more = element("a", "imr-search__mentions", (items ? "Also list" : "List") + " the " + found.mentionedOnly + " determination" +
        (found.mentionedOnly === 1 ? " that only mentions" : "s that only mention") + " the words elsewhere");
      more.href = "?" + all.toString();
      status.append(" ", more);
    }
    if (items === 0 && query.trim()) noMatch(found, query, list);
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
      if (name !== "q" && name !== "page" && name !== "mentions" && value) filters[name] = value;
    });
    var page = Math.max(1, parseInt(params.get("page") || "1", 10) || 1);
    search(sharedIndex, params.get("q") || "", filters, { mentions: params.get("mentions") === "1" }).then(function (found) {
      return Promise.all(shownItems(found, page).map(function (docs) { return sharedIndex.cards(found.manifest, docs); }));
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
  window.imrSearchDocs = function (query, filters, options) {
    return search(indexOf(document.getElementById("imr-search")), query, filters || {}, options).then(function (found) {
      return Array.from(found.docs);
    });
  };
  // The determinations a query finds, in the order listed, each with its matching items' numbers.
  window.imrSearchDeterminations = function (query, filters, options) {
    return search(indexOf(document.getElementById("imr-search")), query, filters || {}, options).then(function (found) {
      return found.determinations;
    });
  };
  window.imrSearchExpand = function (query) {
    return indexOf(document.getElementById("imr-search")).manifest().then(function (manifest) {
      return expand(terms(query), manifest.vocabulary);
    });
  };
  window.imrSearchStart = start;
  if (document.getElementById("imr-search")) start();  // loaded after the form
  else if (window.imrSearchBase) prefetch(window.imrSearchBase);  // loaded in the head
})();
