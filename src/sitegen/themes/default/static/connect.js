/* Connect helpers for the sitegen default theme. Everything works without this script:
   it only adds "Copy the note" buttons (and makes "Open LinkedIn" copy the note as it opens
   the profile), on an author page renames the post in the note to the
   one this reader has just read (remembered for this tab in sessionStorage). */
(function () {
  "use strict";
  var KEY = "sitegen:last-read";
  var LIMIT = 200; // LinkedIn's limit for an invitation note; stay under it
  // the theme's words in the site's language (base.html writes them on <body>)
  var WORDS = {
    copied: "Copied", selected: "Selected", note_selected: "Note selected: press Ctrl+C or \u2318C to copy",
    link_copied: "Link copied", copy_link: "Copy link", copy_open: "Copy the note and open {site}",
    email_subject: "After reading \u201c{title}\u201d"
  };
  try { Object.assign(WORDS, JSON.parse(document.body.dataset.words || "{}")); } catch (e) { /* English, then */ }
  function say(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }

  function remember(article) {
    try {
      sessionStorage.setItem(KEY, JSON.stringify({
        title: article.dataset.postTitle,
        url: article.dataset.postUrl,
        authors: (article.dataset.postAuthors || "").split(" ")
      }));
    } catch (e) { /* storage may be disabled; nothing to remember then */ }
  }

  function lastRead() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }

  // Same as sitegen's connect.quoted_within: a title inside “…” gets single quotes of its own.
  function quotedWithin(title) {
    return title.replace(/"([^"]*)"/g, "\u2018$1\u2019").replace(/\u201c/g, "\u2018").replace(/\u201d/g, "\u2019");
  }

  // Same rules as sitegen's connect.fill_note: shorten the title until the note fits.
  function fillNote(template, first, title, url) {
    if (template.indexOf("\u201c{title}\u201d") >= 0) title = quotedWithin(title);
    function fill(shown) {
      return template.split("{author}").join(first).split("{title}").join(shown).split("{url}").join(url);
    }
    var note = fill(title);
    var excess = note.length - (LIMIT - 1);
    if (excess > 0) {
      note = fill(title.slice(0, Math.max(0, title.length - excess - 1)).trimEnd() + "…");
    }
    return note.slice(0, LIMIT - 1);
  }

  function rename(box, post) {
    var d = box.dataset;
    if (!post || !post.title || post.authors.indexOf(d.authorId) < 0) return;
    var note = fillNote(d.noteTemplate, d.authorFirstName, post.title, post.url);
    box.querySelectorAll("[data-note]").forEach(function (el) { el.textContent = note; });
    box.querySelectorAll("[data-note-length]").forEach(function (el) { el.textContent = note.length; });
    var mail = box.querySelector("[data-mailto]");
    if (mail && d.email) {
      mail.href = "mailto:" + encodeURIComponent(d.email).replace("%40", "@") +
        "?subject=" + encodeURIComponent(say(WORDS.email_subject, { title: quotedWithin(post.title) })) +
        "&body=" + encodeURIComponent(note);
    }
  }

  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button, box) {
    var source = document.getElementById(button.dataset.copy || button.dataset.copyOpen);
    var status = box.querySelector("[data-copy-status]");
    var text = source.textContent.trim();
    function done(message) {
      status.textContent = "";
      // a fresh message each time, so screen readers announce a second copy too
      setTimeout(function () { status.textContent = message; }, 50);
      var label = button.firstChild;
      // the button keeps its width while it says "Copied", so nothing beside it moves
      if (!button.style.minWidth) button.style.minWidth = button.getBoundingClientRect().width + "px";
      button.dataset.label = button.dataset.label || label.nodeValue;
      label.nodeValue = message === WORDS.copied ? WORDS.copied : WORDS.selected;
      clearTimeout(button.resetTimer);
      button.resetTimer = setTimeout(function () { label.nodeValue = button.dataset.label; }, 2000);
    }
    function fallback() {
      selectText(source);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok ? WORDS.copied : WORDS.note_selected);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(WORDS.copied); }, fallback);
    } else {
      fallback();
    }
  }

  var article = document.querySelector("[data-post]");
  if (article) remember(article);

  // Share: the device's own share sheet where there is one, and "Copy link" (the links work alone)
  document.querySelectorAll("[data-share-url]").forEach(function (list) {
    var url = list.dataset.shareUrl, title = list.dataset.shareTitle;
    var status = list.parentNode.querySelector("[data-share-status]");
    var native = list.querySelector("[data-share-native]");
    if (native && navigator.share) {
      native.hidden = false;
      native.querySelector("button").addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () { /* the reader closed it */ });
      });
    }
    var item = list.querySelector("[data-copy-link]");
    if (item && navigator.clipboard && window.isSecureContext) {
      item.hidden = false;
      var button = item.querySelector("button");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(function () {
          if (!button.style.minWidth) button.style.minWidth = button.getBoundingClientRect().width + "px";
          button.textContent = WORDS.copied;
          status.textContent = WORDS.link_copied;
          setTimeout(function () { button.textContent = WORDS.copy_link; status.textContent = ""; }, 2000);
        });
      });
    }
  });

  document.querySelectorAll("[data-connect]").forEach(function (box) {
    if (box.hasAttribute("data-rename")) rename(box, lastRead());
    // "Copy the note and open LinkedIn": a link to the profile (all it is without this script),
    // which also copies the note on its way out
    box.querySelectorAll("a[data-copy-open]").forEach(function (link) {
      link.firstChild.nodeValue = say(WORDS.copy_open, { site: link.dataset.site });
      link.addEventListener("click", function () { copy(link, box); });
    });
    box.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button, box); });
    });
  });
})();
