/* The search page: queries the Pagefind bundles in ./pagefind/<language>/ (made by the build,
   no server code, no network beyond this folder). Each language has its own bundle, stemmed in
   that language, loaded as its own Pagefind instance (each with its own stemmer: indexes merged
   into one instance would all be searched with the first one's). A language chosen searches its
   bundle; "All languages" searches every bundle and merges the results by score. Results are
   built from text nodes only: no string from a text is ever parsed as HTML in this page. Each
   result links to the paragraphs where the words occur (Pagefind records every element with an
   id; paragraphs are "p-<number>"). */
const labels = JSON.parse(document.getElementById("search-labels").textContent);
const form = document.getElementById("search");
const summary = document.getElementById("summary");
const list = document.getElementById("results");
const PLACES = 3;  // paragraphs listed per text
const AROUND = 12;  // words of context on each side of a match
const SHOWN = 50;  // results whose excerpts are loaded and shown
const indexes = new Map();  // language code -> its bundle's Pagefind instance, in the catalogue's order
let asked = 0;

function element(name, attributes, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes || {})) {
    node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child);
  }
  return node;
}

/* The places a word can be, in the page order, with where each starts among the page's words:
   every element with an id but those inside a paragraph (a note call, a table, a quotation:
   the paragraph is the place), so that a word in an appendix's heading or in the notes is not
   taken for one of the last paragraph before them. */
const INSIDE_A_PARAGRAPH = /^fnref-|(^|-)(table|quote)-\d+$/;

function paragraphs(anchors) {
  return anchors.filter((anchor) => !INSIDE_A_PARAGRAPH.test(anchor.id)).sort((a, b) => a.location - b.location);
}

/* What a place is called: a paragraph of the text ("p-7-1": 7.1), of an appendix
   ("appendix-p-2-1"), or a note ("fn-2"); null for the rest (a heading, the title block). */
function placeName(id) {
  const numbered = (digits) => digits.replace(/-/g, ".");
  let found = /^p-(.+)$/.exec(id);
  if (found) {
    return labels.paragraph + " " + numbered(found[1]);
  }
  found = /^fn-(\d+)$/.exec(id);
  if (found) {
    return labels.note + " " + found[1];
  }
  found = /^.+-p-(.+)$/.exec(id);
  return found ? labels.appendix_paragraph + " " + numbered(found[1]) : null;
}

function placeOf(location, starts) {
  let found = null;
  for (const anchor of starts) {
    if (anchor.location > location) {
      break;
    }
    found = anchor;
  }
  return found;
}

/* A few words around `location`, the matched words in <mark>. */
function context(words, location, matched) {
  const line = element("span", {});
  const from = Math.max(0, location - AROUND);
  const to = Math.min(words.length, location + AROUND + 1);
  if (from > 0) {
    line.append("… ");
  }
  for (let index = from; index < to; index += 1) {
    if (matched.has(index)) {  // the word marked, not the punctuation around it
      const [, before, word, after] = /^(\p{P}*)(.*?)(\p{P}*)$/u.exec(words[index]);
      line.append(before, element("mark", {}, word), after);
    } else {
      line.append(words[index]);
    }
    line.append(index + 1 < to ? " " : "");
  }
  if (to < words.length) {
    line.append(" …");
  }
  return line;
}

function page(url) {
  return url.replace(/^\/+/, "");  // relative to this page: the folder may be served anywhere
}

function result(data) {
  const meta = data.meta || {};
  const language = meta.language || "";
  const words = data.content.split(/\s+/);
  const matched = new Set(data.locations);
  const starts = paragraphs(data.anchors || []);
  const places = [];
  for (const location of data.locations) {
    const anchor = placeOf(location, starts);
    const name = anchor && placeName(anchor.id);
    if (name && !places.some((place) => place.anchor.id === anchor.id)) {
      places.push({ anchor: anchor, location: location, name: name });
    }
  }
  const item = element("li", { class: "result" });
  item.append(element("h2", { lang: language }, element("a", { href: page(data.url), hreflang: language }, meta.citation || meta.title || data.url)));
  if (meta.title) {
    item.append(element("p", { class: "title", lang: language }, meta.title));
  }
  const facts = [labels.languages[language] || language];
  if (data.filters && data.filters.status && data.filters.status.includes("provisional")) {
    facts.push(labels.statuses.provisional);
  }
  item.append(element("p", { class: "language" }, facts.join(", ")));
  if (places.length) {
    const where = element("ul", { class: "places" });
    for (const place of places.slice(0, PLACES)) {
      const link = element("a", { href: page(data.url) + "#" + place.anchor.id }, place.name);
      where.append(element("li", {}, link, ": ", element("span", { lang: language }, context(words, place.location, matched))));
    }
    if (places.length > PLACES) {
      const rest = places.length - PLACES;
      where.append(element("li", {}, rest === 1 ? labels.more_one : labels.more.replace("{count}", String(rest))));
    }
    item.append(where);
  } else if (data.locations.length) {
    item.append(element("p", { lang: language }, context(words, data.locations[0], matched)));
  }
  return item;
}

/* The filters Pagefind applies within a bundle; the language is the choice of bundles. */
function wantedFilters() {
  const filters = {};
  for (const name of ["type", "year", "status"]) {
    if (form.elements[name].value) {
      filters[name] = form.elements[name].value;
    }
  }
  return filters;
}

/* The results of every chosen bundle, best first: a score is Pagefind's for its own bundle, as
   when Pagefind merges indexes itself. Bundles in the catalogue's order break ties. */
async function searched(query, filters) {
  const chosen = form.elements.language.value;
  const searching = chosen ? [indexes.get(chosen)] : [...indexes.values()];
  const answers = await Promise.all(searching.map((index) => index.search(query, { filters: filters })));
  return answers.flatMap((answer) => answer.results).sort((a, b) => (b.score || 0) - (a.score || 0));
}

async function run() {
  const ticket = ++asked;
  const query = form.elements.query.value.trim();
  const filters = wantedFilters();
  if (!query && !Object.keys(filters).length && !form.elements.language.value) {
    list.replaceChildren();
    summary.textContent = "";
    return;
  }
  const found = await searched(query || null, filters);
  const shown = await Promise.all(found.slice(0, SHOWN).map((hit) => hit.data()));
  if (ticket !== asked) {
    return;  // a later query is under way: its answer is the one to show
  }
  list.replaceChildren(...shown.map(result));
  const count = found.length;
  summary.textContent = (count === 1 ? labels.one : labels.many.replace("{count}", String(count))) +
    (count > shown.length ? " " + labels.first.replace("{count}", String(shown.length)) : "");
}

/* Each bundle as its own module (its URL names it: one instance, one worker, one stemmer each). */
async function load(code, folder) {
  const index = await import("./" + folder + "pagefind.js");
  await index.options({ excerptLength: 2 * AROUND });
  await index.init();
  return [code, index];
}

async function start() {
  try {
    const loaded = await Promise.all(Object.entries(labels.bundles).map(([code, folder]) => load(code, folder)));
    for (const [code, index] of loaded) {
      indexes.set(code, index);
    }
  } catch (error) {
    return;  // the notice stays: no index here, or a page opened as a file
  }
  document.getElementById("search-needs").hidden = true;
  form.hidden = false;
  form.addEventListener("input", run);
  form.addEventListener("change", run);
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  const parameters = new URLSearchParams(window.location.search);
  if (parameters.get("q")) {
    form.elements.query.value = parameters.get("q");
  }
  if (indexes.has(parameters.get("language"))) {  // "?language=fr": a link into one language's search
    form.elements.language.value = parameters.get("language");
  }
  document.documentElement.dataset.searchReady = "true";
  await run();
}

start();
