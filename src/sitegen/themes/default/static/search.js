// The search page: asks the Pagefind index made with the site (pagefind/pagefind.js) as the
// reader types, and lists the letters found, their excerpts' matches marked. Nothing is sent
// anywhere: the index is a set of files of the site itself.
(() => {
  const form = document.querySelector("[data-search]");
  if (!form) return;
  const input = form.querySelector("input[name=q]");
  const status = document.querySelector("[data-search-status]");
  const list = document.querySelector("[data-search-results]");
  // the theme's words in the site's language, with their plural forms (see i18n/*.yaml)
  const words = JSON.parse(form.dataset.words);
  const plurals = new Intl.PluralRules(document.documentElement.lang || "en");
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  const counted = (forms, count, values) =>
    say(typeof forms === "string" ? forms : forms[plurals.select(count)] || forms.other, { count, ...values });
  let engine = null;
  let asked = 0;
  let timer = 0;

  const load = () => {
    engine ??= import(form.dataset.search).then((pagefind) => pagefind.init().then(() => pagefind));
    return engine;
  };

  // Pagefind's excerpts are escaped text with <mark> around the matches: rebuilt as nodes, never as HTML
  // (a detached <textarea> decodes entities and keeps spaces; its content is text, never markup)
  const decoder = document.createElement("textarea");
  const plain = (html) => {
    decoder.innerHTML = html;
    return decoder.value;
  };
  const excerpt = (html) => {
    const paragraph = document.createElement("p");
    paragraph.className = "search-result__excerpt";
    for (const part of html.split(/(<mark>.*?<\/mark>)/)) {
      const match = /^<mark>(.*)<\/mark>$/.exec(part);
      if (match) {
        const mark = document.createElement("mark");
        mark.textContent = plain(match[1]);
        paragraph.append(mark);
      } else if (part) {
        paragraph.append(plain(part));
      }
    }
    return paragraph;
  };

  const show = (query, found) => {
    list.replaceChildren(
      ...found.map((result) => {
        const item = document.createElement("li");
        item.className = "search-result";
        const link = document.createElement("a");
        link.className = "search-result__title";
        link.href = result.url;
        link.textContent = result.meta.title || result.url;
        item.append(link, excerpt(result.excerpt));
        return item;
      }),
    );
    status.textContent = found.length ? counted(words.found, found.length, { query }) : say(words.none, { query });
  };

  const search = async () => {
    const query = input.value.trim();
    const mine = ++asked;
    const url = new URL(location.href);
    query ? url.searchParams.set("q", query) : url.searchParams.delete("q");
    history.replaceState(null, "", url);
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    try {
      const pagefind = await load();
      const answer = await pagefind.search(query);
      const found = await Promise.all(answer.results.slice(0, 20).map((result) => result.data()));
      if (mine === asked) show(query, found);
    } catch {
      status.textContent = words.unavailable;
    }
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);  // a search the typing asked for is this one
    search();
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  const given = new URLSearchParams(location.search).get("q");
  if (given) {
    input.value = given;
    search();
  }
})();
