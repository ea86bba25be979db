/* The search page: queries the Pagefind bundle in ./pagefind/ (made by the build, no server
   code, no network beyond this folder). Results are built from text nodes only: no string from
   a text is ever parsed as HTML in this page. Each result links to the paragraphs where the
   words occur (Pagefind records every element with an id; paragraphs are "p-<number>"). */
const labels = JSON.parse(document.getElementById("search-labels").textContent);
const form = document.getElementById("search");
const summary = document.getElementById("summary");
const list = document.getElementById("results");
const PLACES = 3;  // paragraphs listed per text
const AROUND = 12;  // words of context on each side of a match
let pagefind = null;
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

/* Paragraph ids in the page order, with where each starts among the page's words. */
function paragraphs(anchors) {
  return anchors.filter((anchor) => /^p-/.test(anchor.id)).sort((a, b) => a.location - b.location);
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
    if (anchor && !places.some((place) => place.anchor.id === anchor.id)) {
      places.push({ anchor: anchor, location: location });
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
      const number = place.anchor.id.slice(2).replace(/-/g, ".");
      const link = element("a", { href: page(data.url) + "#" + place.anchor.id }, labels.paragraph + " " + number);
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

function wantedFilters() {
  const filters = {};
  for (const name of ["type", "year", "language", "status"]) {
    if (form.elements[name].value) {
      filters[name] = form.elements[name].value;
    }
  }
  return filters;
}

async function run() {
  const ticket = ++asked;
  const query = form.elements.query.value.trim();
  const filters = wantedFilters();
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren();
    summary.textContent = "";
    return;
  }
  const found = await pagefind.search(query || null, { filters: filters });
  const shown = await Promise.all(found.results.slice(0, 50).map((hit) => hit.data()));
  if (ticket !== asked) {
    return;  // a later query is under way: its answer is the one to show
  }
  list.replaceChildren(...shown.map(result));
  const count = found.results.length;
  summary.textContent = (count === 1 ? labels.one : labels.many.replace("{count}", String(count))) +
    (count > shown.length ? " " + labels.first.replace("{count}", String(shown.length)) : "");
}

async function start() {
  try {
    pagefind = await import("./pagefind/pagefind.js");
    await pagefind.options({ excerptLength: 2 * AROUND });
    await pagefind.init();
  } catch (error) {
    return;  // the notice stays: no index here, or a page opened as a file
  }
  document.getElementById("search-needs").hidden = true;
  form.hidden = false;
  form.addEventListener("input", run);
  form.addEventListener("change", run);
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  const asked_for = new URLSearchParams(window.location.search).get("q");
  if (asked_for) {
    form.elements.query.value = asked_for;
  }
  document.documentElement.dataset.searchReady = "true";
  await run();
}

start();
