// The search page (a classic script: browsers refuse module scripts on file:// pages)
// asks Pagefind's index for the page's language and lists what it finds.
// Pagefind loads its index with fetch() and is itself a module, both of which browsers
// refuse on file:// pages: opened from disk, the bundle's files come from classic scripts
// (pagefind/offline/<file>.js, written by the build) and Pagefind's module from a blob.
(() => {
  "use strict";
  const page = document.querySelector(".search-page");
  const form = page.querySelector("form");
  const input = form.querySelector("input[name=q]");
  const selects = [...form.querySelectorAll("select[data-filter]")];
  const status = page.querySelector(".search-status");
  const list = page.querySelector(".search-results");
  const SHOWN = 30;

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

  // Pagefind's excerpts are escaped text with <mark> around the matches: keep exactly that.
  function excerpt(html) {
    const paragraph = document.createElement("p");
    const parsed = new DOMParser().parseFromString(html, "text/html").body;
    for (const node of parsed.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.append(mark);
      } else {
        paragraph.append(node.textContent);
      }
    }
    return paragraph;
  }

  const fromDisk = location.protocol === "file:";
  const program = new URL(page.dataset.bundle, location.href).href;
  const bundle = new URL(".", program).href;

  // -- from disk: the bundle's files through script tags -----------------------------
  const loaded = new Map();
  const waiting = new Map();
  window.newsforgeSearchFile = (name, base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    loaded.set(name, bytes);
    waiting.get(name)?.resolve(bytes);
  };
  function bundleFile(name) {
    if (loaded.has(name)) return Promise.resolve(loaded.get(name));
    if (!waiting.has(name)) {
      const waiter = {};
      waiter.promise = new Promise((resolve, reject) => {
        waiter.resolve = resolve;
        const script = document.createElement("script");
        script.src = `${bundle}offline/${name}.js`;
        script.onerror = () => reject(new Error(`missing ${name}`));
        document.head.append(script);
      });
      waiting.set(name, waiter);
    }
    return waiting.get(name).promise;
  }
  function fetchBundleFromScripts() {
    const original = window.fetch.bind(window);
    window.fetch = async (request, init) => {
      const address = new URL(typeof request === "string" ? request : request.url,
                              location.href).href.split(/[?#]/)[0];
      if (!address.startsWith(bundle)) return original(request, init);
      const bytes = await bundleFile(address.slice(bundle.length));
      return new Response(bytes, { status: 200 });
    };
  }

  async function openIndex() {
    let pagefind;
    if (fromDisk) {
      fetchBundleFromScripts();
      const code = new Blob([await bundleFile("pagefind.js")], { type: "text/javascript" });
      pagefind = await import(URL.createObjectURL(code));
    } else {
      pagefind = await import(program);
    }
    const baseUrl = new URL(page.dataset.root, location.href).pathname;
    await pagefind.options({ basePath: bundle, noWorker: fromDisk, baseUrl });
    // Each year's articles have an index of their own (a rebuild re-indexes only the
    // years that changed): searched together with the main one.
    for (const shard of (page.dataset.shards || "").split(" ").filter(Boolean)) {
      await pagefind.mergeIndex(new URL(shard, bundle).href, { baseUrl });
    }
    await pagefind.init();
    return pagefind;
  }

  // A folder's address opens its index.html when served, but not from disk.
  const pageAddress = (url) => (fromDisk && url.endsWith("/") ? `${url}index.html` : url);

  async function fillFilters(pagefind, chosen) {
    const known = await pagefind.filters();
    for (const select of selects) {
      const values = Object.keys(known[select.dataset.filter] || {}).sort();
      for (const value of values) {
        select.add(new Option(value, value, false, value === chosen.get(select.dataset.filter)));
      }
    }
  }

  async function show(pagefind, query) {
    const filters = {};
    for (const select of selects) {
      if (select.value) filters[select.dataset.filter] = select.value;
    }
    list.replaceChildren();
    if (!query && Object.keys(filters).length === 0) {
      status.textContent = "";
      return;
    }
    const found = await pagefind.search(query || null, { filters });
    const results = await Promise.all(found.results.slice(0, SHOWN).map((r) => r.data()));
    status.textContent = fill(results.length ? page.dataset.results : page.dataset.none,
                              { count: found.results.length, query });
    for (const result of results) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = pageAddress(result.url);
      link.textContent = result.meta.title || result.url;
      const heading = document.createElement("h2");
      heading.append(link);
      item.append(heading, excerpt(result.excerpt));
      list.append(item);
    }
  }

  async function start() {
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    const pagefind = await openIndex();
    await fillFilters(pagefind, params);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const next = new URLSearchParams();
      if (input.value) next.set("q", input.value);
      for (const select of selects) {
        if (select.value) next.set(select.dataset.filter, select.value);
      }
      history.replaceState(null, "", `?${next}`);
      show(pagefind, input.value.trim());
    });
    await show(pagefind, input.value.trim());
  }

  start().catch((error) => {
    status.textContent = `${page.dataset.unavailable} (${error.message})`;
  });
})();
