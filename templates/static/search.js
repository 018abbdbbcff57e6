// Search page: runs the query from ?q= (or the form) against the Pagefind index written by
// `broadsheet build`, and lists headline, source, date and excerpt. No network beyond this site.
const form = document.querySelector("[data-search-form]");
const input = form.querySelector("input[name=q]");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const siteRoot = new URL("../", import.meta.url);
const MAX_RESULTS = 50;
let engine = null;

async function loadEngine() {
  if (!engine) {
    engine = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    await engine.options({ excerptLength: 32 });
  }
  return engine;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

// The excerpt is Pagefind's text with <mark> around the hits; keep only text and marks.
function excerpt(html) {
  const out = element("p", "search-excerpt");
  const parsed = new DOMParser().parseFromString(html, "text/html");
  for (const node of parsed.body.childNodes) {
    out.append(node.nodeName === "MARK" ? element("mark", "", node.textContent) : node.textContent);
  }
  return out;
}

function resultItem(data) {
  const item = element("li", "search-result");
  const heading = element("h2", "story-heading");
  const link = element("a", "", data.meta.title || data.url);
  link.href = new URL(data.url.replace(/^\/+/, ""), siteRoot).href;
  heading.append(link);
  item.append(heading);
  const facts = [data.meta.source, data.meta.date].filter(Boolean);
  if (facts.length) item.append(element("p", "story-meta", facts.join(" · ")));
  item.append(excerpt(data.excerpt));
  return item;
}

async function search(query) {
  list.replaceChildren();
  if (!query) {
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  let found;
  try {
    found = await (await loadEngine()).search(query);
  } catch {
    status.textContent = "The search index is not available on this copy of the site; browse the topics instead.";
    return;
  }
  const shown = await Promise.all(found.results.slice(0, MAX_RESULTS).map((result) => result.data()));
  if (input.value.trim() !== query) return; // a newer query is running
  list.replaceChildren(...shown.map(resultItem));
  const count = found.results.length;
  status.textContent =
    count === 0 ? `No articles match “${query}”.` : `${count} ${count === 1 ? "article matches" : "articles match"} “${query}”.`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const query = input.value.trim();
  const address = new URL(location.href);
  address.searchParams.set("q", query);
  history.replaceState(null, "", address);
  search(query);
});

input.value = new URLSearchParams(location.search).get("q") || "";
search(input.value.trim());
