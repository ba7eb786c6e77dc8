// The section editor: drag to reorder, live 一是/二是 labels, counts, placeholder marks,
// and a question before leaving with unsaved changes. Without this file the page still
// works: move up/down, add and delete are ordinary submit buttons handled by the server.
(function () {
  "use strict";

  const form = document.getElementById("section-form");
  if (!form) return;

  const DIGITS = "零一二三四五六七八九";
  // Mirrors reports/placeholders.py: X, Ｘ or × runs not glued to a Latin word.
  const PLACEHOLDER = /(?<![A-Za-zＡ-Ｚａ-ｚ_\-])(?:[XＸ]+|×+)(?![A-Za-zＡ-Ｚａ-ｚ_\-])/g;
  const SENTENCE_END = "。！？!?；;";

  const list = document.getElementById("measures");
  const template = document.getElementById("measure-template");
  const totalForms = form.querySelector("input[name='measures-TOTAL_FORMS']");
  const limit = parseInt(form.dataset.charLimit || "", 10);
  let dirty = false;

  function numeral(n) {
    const hundreds = Math.floor(n / 100);
    const tens = Math.floor((n % 100) / 10);
    const units = n % 10;
    let text = "";
    if (hundreds) {
      text += DIGITS[hundreds] + "百";
      if (tens) text += DIGITS[tens] + "十";
      else if (units) text += "零";
    } else if (tens) {
      text += (tens === 1 ? "" : DIGITS[tens]) + "十";
    }
    if (units) text += DIGITS[units];
    return text;
  }

  function chars(text) {
    let count = 0;
    for (const ch of text) if (!/\s/.test(ch)) count += 1;
    return count;
  }

  function placeholders(text) {
    return (text.match(PLACEHOLDER) || []).length;
  }

  function joinMeasure(lead, body) {
    lead = lead.trim();
    body = body.trim();
    if (!lead) return body;
    return SENTENCE_END.includes(lead[lead.length - 1]) ? lead + body : lead + "。" + body;
  }

  // Mirrors reports/carried.py: a figure carried from last period is marked while its key (the
  // few characters before it and the figure) is still in the text.
  const NUMBER = /[0-9０-９]+(?:[.,．，][0-9０-９]+)*[%％‰]?/g;
  const NUMBER_SPLIT = /[0-9０-９]+(?:[.,．，][0-9０-９]+)*[%％‰]?/;
  const CONTEXT_CHARS = 4;

  function carriedSpans(text, keys) {
    const spans = [];
    if (!keys.size) return spans;
    for (const match of text.matchAll(NUMBER)) {
      const before = text.slice(Math.max(0, match.index - CONTEXT_CHARS), match.index).split(NUMBER_SPLIT).pop();
      if (keys.has(before + "|" + match[0])) spans.push([match.index, match.index + match[0].length, true]);
    }
    return spans;
  }

  function highlight(element, text) {
    const keys = new Set(element.dataset.carried ? JSON.parse(element.dataset.carried) : []);
    const spans = [];
    for (const match of text.matchAll(PLACEHOLDER)) spans.push([match.index, match.index + match[0].length, false]);
    spans.push(...carriedSpans(text, keys));
    spans.sort((a, b) => a[0] - b[0]);
    element.replaceChildren();
    let last = 0;
    for (const [start, end, carried] of spans) {
      if (start < last) continue;
      element.append(text.slice(last, start));
      const mark = document.createElement("mark");
      mark.className = carried ? "carried-number" : "placeholder";
      mark.textContent = text.slice(start, end);
      element.append(mark);
      last = end;
    }
    element.append(text.slice(last));
  }

  function cards() {
    return Array.from(list.querySelectorAll("[data-measure]"));
  }

  function isDeleted(card) {
    const box = card.querySelector("[data-delete]");
    return Boolean(box && box.checked);
  }

  function measureText(card) {
    const lead = card.querySelector("[data-count='lead']");
    const body = card.querySelector("[data-count='body']");
    return joinMeasure(lead ? lead.value : "", body ? body.value : "");
  }

  function tableCells(card) {
    const field = card.querySelector("[data-table-tsv]");
    if (!field || !field.value.trim() || !window.HuigaoTables) return [];
    return window.HuigaoTables.parse(field.value).flat();
  }

  // A measure that is a table alone takes no ordinal (reports/numbering.py).
  function tableOnly(card) {
    return !measureText(card) && tableCells(card).some((cell) => cell.trim());
  }

  function renumber() {
    let n = 0;
    cards().forEach(function (card, index) {
      card.querySelector("[data-order]").value = String(index + 1);
      const deleted = isDeleted(card);
      card.classList.toggle("measure-deleted", deleted);
      const numbered = !deleted && !tableOnly(card);
      if (numbered) n += 1;
      card.querySelector(".measure-ordinal").textContent = numbered ? numeral(n) + "是" : "";
    });
    recount();
  }

  function recount() {
    const intro = form.querySelector("[data-count='intro']");
    let total = intro ? chars(intro.value) : 0;
    let marks = intro ? placeholders(intro.value) : 0;
    if (intro) {
      const preview = form.querySelector("[data-preview-for='intro']");
      if (preview) highlight(preview, intro.value);
    }
    cards().forEach(function (card) {
      const text = measureText(card);
      const count = chars(text);
      const found = placeholders(text);
      card.querySelector("[data-chars]").textContent = String(count);
      card.querySelector("[data-placeholders]").textContent = String(found);
      highlight(card.querySelector("[data-preview]"), text);
      if (!isDeleted(card)) {
        // The full stop the join adds is not the user's text: count what they typed.
        const lead = card.querySelector("[data-count='lead']");
        const body = card.querySelector("[data-count='body']");
        total += chars(lead ? lead.value : "") + chars(body ? body.value : "");
        marks += found;
        tableCells(card).forEach(function (cell) {
          total += chars(cell);
          marks += placeholders(cell);
        });
      }
    });
    document.getElementById("total-chars").textContent = String(total);
    document.getElementById("total-placeholders").textContent = String(marks);
    const warning = document.getElementById("limit-warning");
    if (warning && !Number.isNaN(limit)) warning.classList.toggle("d-none", total <= limit);
  }

  function markDirty() {
    dirty = true;
    document.getElementById("unsaved").classList.remove("d-none");
  }

  function addMeasure() {
    const index = parseInt(totalForms.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const card = holder.firstElementChild;
    card.querySelector(".drag-handle").classList.remove("d-none");
    list.append(card);
    totalForms.value = String(index + 1);
    renumber();
    markDirty();
    const lead = card.querySelector("[data-count='lead']");
    if (lead) lead.focus();
  }

  function move(card, direction) {
    if (direction === "up" && card.previousElementSibling) {
      list.insertBefore(card, card.previousElementSibling);
    } else if (direction === "down" && card.nextElementSibling) {
      list.insertBefore(card.nextElementSibling, card);
    } else {
      return;
    }
    renumber();
    markDirty();
  }

  form.querySelectorAll(".drag-handle").forEach(function (handle) {
    handle.classList.remove("d-none");
  });

  form.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.id === "add-measure") {
      event.preventDefault();
      addMeasure();
    } else if (button.dataset.move) {
      event.preventDefault();
      move(button.closest("[data-measure]"), button.dataset.move);
    }
  });

  // A card's reply box belongs to its own comment form (form="…"): typing there is not an edit.
  function ours(event) {
    return event.target.form === form;
  }

  form.addEventListener("input", function (event) {
    if (!ours(event)) return;
    markDirty();
    // Renumbered, not only recounted: typing can make a measure a table alone, or no longer.
    renumber();
  });
  form.addEventListener("change", function (event) {
    if (!ours(event)) return;
    if (event.target.matches("[data-delete]")) renumber();
    markDirty();
  });
  form.addEventListener("submit", function () {
    dirty = false;
  });
  // "Take the saved text" after a conflict discards the form on purpose.
  document.querySelectorAll("[data-discard]").forEach(function (link) {
    link.addEventListener("click", function () {
      dirty = false;
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });

  if (window.Sortable && list) {
    window.Sortable.create(list, {
      handle: ".drag-handle",
      draggable: "[data-measure]",
      animation: 120,
      // Mouse-driven dragging behaves the same in every browser and over text fields.
      forceFallback: true,
      onEnd: function (event) {
        if (event.oldIndex !== event.newIndex) {
          renumber();
          markDirty();
        }
      },
    });
  }

  renumber();
  // A form sent back by the server (a conflict, an error, a move without JavaScript)
  // holds text that is not saved yet.
  if (form.dataset.unsaved) markDirty();
  // A conflict is announced first: the page opens at its message, with focus on it, so a
  // screen reader reads it and the keyboard starts there.
  const notice = document.querySelector("[data-focus-on-load]");
  if (notice) {
    notice.scrollIntoView({ block: "start" });
    notice.focus({ preventScroll: true });
  }
})();

// Proofreading as the user types: a moment after the last key, the form goes to the check view,
// whose findings (a server-rendered, escaped fragment) replace the list; a finding's link selects
// the words it is about in their field.
(function () {
  "use strict";
  const form = document.getElementById("section-form");
  const results = document.getElementById("check-results");
  if (!form || !results || !form.dataset.checkUrl) return;
  let timer = null;
  let sent = 0;
  // Nothing on the page changes while a button is held (a measure being dragged): the check
  // waits, or its findings wait, until it is let go.
  let held = false;
  let waiting = null;

  function show(html) {
    if (held) waiting = html;
    else results.innerHTML = html;
  }

  function check() {
    if (held) {
      waiting = waiting || "";
      return;
    }
    const ticket = ++sent;
    fetch(form.dataset.checkUrl, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
      .then((response) => response.text())
      .then((html) => {
        if (ticket === sent) show(html);
      })
      .catch(() => {});
  }

  document.addEventListener("pointerdown", () => {
    held = true;
  });
  document.addEventListener("pointerup", () => {
    held = false;
    if (waiting === "") check();
    else if (waiting !== null) results.innerHTML = waiting;
    waiting = null;
  });

  form.addEventListener("input", (event) => {
    if (event.target.form !== form) return;
    clearTimeout(timer);
    timer = setTimeout(check, 600);
  });
  results.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-field]");
    if (!link) return;
    const field = document.getElementById(link.dataset.field);
    if (!field) return;
    event.preventDefault();
    field.focus();
    field.setSelectionRange(parseInt(link.dataset.start, 10), parseInt(link.dataset.end, 10));
  });
  check();
})();
