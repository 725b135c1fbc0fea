/* sitegen serve's live script (served by the dev server after idiomorph, never written to the
   output). A saved edit of the open page is fetched and morphed into it in place: the scroll
   position, focus, open <details> and whatever the page's own scripts did (the copy-note button,
   the share buttons) stay as they are. A change the morph cannot apply (a script added or removed,
   the page gone) reloads the page. A changed stylesheet is swapped without either. */
(function () {
  "use strict";
  var base = document.currentScript.dataset.base;
  var here = decodeURIComponent(location.pathname).slice(base.length);
  if (here === "" || here.slice(-1) === "/") here += "index.html";
  var key = "sitegen-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, +saved); });
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }

  // What the server sent for each node of the page: an element's HTML and attributes, a text's
  // text. Taken now, before the page's deferred scripts run, and kept up to date by each morph; a
  // node whose server version did not change is left as the page has it (three-way merge).
  var sent = new WeakMap();
  function attributesOf(element) {
    var found = {};
    for (var i = 0; i < element.attributes.length; i++) found[element.attributes[i].name] = element.attributes[i].value;
    return found;
  }
  function remember(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (var node = root; node; node = walker.nextNode()) {
      // a node the morph moved in from the page keeps the server's version it had
      if (sent.has(node)) continue;
      sent.set(node, node.nodeType === 1 ? { html: node.outerHTML, attributes: attributesOf(node) } : node.nodeValue);
    }
  }
  remember(document.body);
  var incoming = null;  // the new node the morph is syncing attributes from
  var serialized = new WeakMap();  // each new node's HTML, made once for both callbacks
  var callbacks = {
    beforeNodeMorphed: function (node, next) {
      var was = sent.get(node);
      var now = next.nodeType === 1 ? next.outerHTML : next.nodeValue;
      if (was !== undefined && (node.nodeType === 1 ? was.html : was) === now) {
        return false;  // the server sends it as before: keep it as it is now
      }
      serialized.set(next, now);
      incoming = next;
      return true;
    },
    afterNodeMorphed: function (node, next) {
      var now = serialized.get(next);
      sent.set(node, node.nodeType === 1 ? { html: now, attributes: attributesOf(next) } : now);
    },
    afterNodeAdded: function (node) { remember(node); },
    // what the page's scripts added (a toast, search results) was never sent: it stays
    beforeNodeRemoved: function (node) { return sent.has(node); },
    beforeAttributeUpdated: function (name, element) {
      // an attribute the server did not change keeps the page's value (an open <details>, a
      // button a script showed)
      var was = sent.get(element);
      if (was === undefined || incoming === null) return true;
      var before = name in was.attributes ? was.attributes[name] : null;
      return before !== incoming.getAttribute(name);
    }
  };

  function withoutQuery(url) { return url.split("?")[0]; }
  function pathOf(url) {
    try { return decodeURIComponent(new URL(url, location.href).pathname).slice(base.length); } catch (e) { return ""; }
  }
  function scriptsOf(doc) {
    var found = [];
    doc.querySelectorAll("script").forEach(function (script) {
      if (script.type === "application/ld+json") return;  // data about the page, not code
      found.push(script.src ? withoutQuery(script.src) : script.textContent);
    });
    return found.join("\n");
  }
  function stylesheetsOf(doc) {
    var found = {};
    doc.querySelectorAll('head link[rel="stylesheet"]').forEach(function (link) { found[withoutQuery(link.href)] = link; });
    return found;
  }
  // The scripts the server's page has (not what an extension added to the open one)
  var sentScripts = scriptsOf(document);
  // The new page's stylesheets, in its order, loaded before the morph so that nothing shows
  // unstyled; returns the old ones to remove after it, or null when the page's scripts changed,
  // which a morph cannot apply.
  function addStylesheets(next) {
    if (scriptsOf(next) !== sentScripts) return Promise.resolve(null);
    var now = stylesheetsOf(document), wanted = stylesheetsOf(next), loads = [], after = null;
    Object.keys(wanted).reverse().forEach(function (url) {  // each goes before the next one wanted
      if (now[url]) { after = now[url]; return; }
      var link = document.importNode(wanted[url], true);
      loads.push(new Promise(function (done) { link.onload = link.onerror = done; }));
      document.head.insertBefore(link, after || null);
      after = link;
    });
    var old = Object.keys(now).filter(function (url) { return !wanted[url]; }).map(function (url) { return now[url]; });
    return Promise.all(loads).then(function () { return old; });
  }
  var morphing = Promise.resolve();
  function morph() {
    morphing = morphing.then(function () {
      return fetch(location.pathname + location.search, { cache: "no-store" }).then(function (response) {
        if (!response.ok) throw new Error("the page is gone");
        return response.text();
      }).then(function (text) {
        var next = new DOMParser().parseFromString(text, "text/html");
        return addStylesheets(next).then(function (old) {
          if (old === null) { reload(); return; }
          document.title = next.title;
          Idiomorph.morph(document.body, next.body, { head: { style: "none" }, callbacks: callbacks });
          incoming = null;
          old.forEach(function (link) { link.remove(); });
          document.dispatchEvent(new CustomEvent("sitegen:morphed"));
        });
      }).catch(function () { reload(); });
    });
  }

  function showError(error) {
    // in a shadow root: the page's own styles (a theme's `pre` rule) cannot reach the overlay
    var box = document.getElementById("sitegen-overlay");
    if (!box) {
      box = document.createElement("div");
      box.id = "sitegen-overlay";
      document.body.appendChild(box);
    }
    var root = box.shadowRoot || box.attachShadow({ mode: "open" });
    root.innerHTML = "<style>" + error.style + "</style>" + error.html;
  }
  function clearError() {
    var box = document.getElementById("sitegen-overlay");
    if (box) box.remove();
  }
  function swapStyles(paths) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      if (paths.indexOf(pathOf(link.href)) !== -1) {
        url.searchParams.set("sitegen-live", String(Date.now()));
        link.href = url.toString();
      }
    });
  }
  // Whether this page shows one of the changed files (an image, a script, a font): pages only
  // reload for what they use, not for a search index or another page's picture.
  function uses(paths) {
    var shown = {};
    document.querySelectorAll("[src], [srcset], link[href]").forEach(function (element) {
      var urls = [element.getAttribute("src") || ""];
      (element.getAttribute("srcset") || "").split(",").forEach(function (part) { urls.push(part.trim().split(" ")[0]); });
      if (element.tagName === "LINK") urls.push(element.getAttribute("href"));
      urls.forEach(function (url) { if (url) shown[pathOf(url)] = true; });
    });
    return paths.some(function (path) { return shown[path]; });
  }
  var events = new EventSource(base + "__sitegen/events");
  var lost = false;
  events.onerror = function () { lost = true; };
  events.onmessage = function (message) {
    var data = JSON.parse(message.data);
    if (data.type === "hello") {
      // a restarted server may have built a different site while we were away
      if (lost) reload();
      return;
    }
    if (data.type === "error") { showError(data); return; }
    if (data.type !== "change") return;
    clearError();
    if (data.edited && data.edited.length && data.edited.indexOf(here) === -1) {  // serve --follow
      location.href = base + data.edited[0].replace(/index\.html$/, "");  // the post being edited
      return;
    }
    var shown = data.other.concat(data.removed);
    if (data.removed.indexOf(here) !== -1 || (shown.length && uses(shown))) {
      reload();
      return;
    }
    if (data.css.length) swapStyles(data.css);
    if (data.pages.indexOf(here) !== -1) morph();
  };
})();
