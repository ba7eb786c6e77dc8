// The section editor: drag to reorder, live 一是/二是 labels, counts, placeholder marks, the
// proofreader's findings underlined in the previews, and a question before leaving with unsaved
// changes. Without this file the page still works: move up/down, add and delete are ordinary
// submit buttons handled by the server.
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

  const SEVERITIES = ["error", "warning", "hint"];
  // The last check's findings by field id, with the text the check read: a field's findings are
  // shown while it still holds that text (one being typed in waits for the next check).
  let checked = new Map();

  // The proofreader counts code points; the fields and the DOM count UTF-16 units.
  function unitOffset(text, points) {
    if (!/[\uD800-\uDFFF]/.test(text)) return points;
    let units = 0;
    let n = 0;
    for (const ch of text) {
      if (n === points) break;
      units += ch.length;
      n += 1;
    }
    return units;
  }

  // The findings of one field as spans of a preview whose text holds the field's from `skip`
  // (the leading blanks the preview drops), `length` long, at `at`.
  function findingSpans(field, skip, length, at) {
    const entry = field && checked.get(field.id);
    if (!entry || entry.value !== field.value) return [];
    const spans = [];
    for (const finding of entry.findings) {
      const start = Math.max(unitOffset(field.value, finding.start) - skip, 0);
      const end = Math.min(unitOffset(field.value, finding.end) - skip, length);
      if (start < end) spans.push({ start: at + start, end: at + end, finding: finding });
    }
    return spans;
  }

  // Where a measure's lead and body stand in joinMeasure's text.
  function measureFindingSpans(card) {
    const lead = card.querySelector("[data-count='lead']");
    const body = card.querySelector("[data-count='body']");
    const leadValue = lead ? lead.value : "";
    const bodyValue = body ? body.value : "";
    const leadText = leadValue.trim();
    const bodyText = bodyValue.trim();
    let bodyAt = 0;
    if (leadText) bodyAt = leadText.length + (SENTENCE_END.includes(leadText[leadText.length - 1]) ? 0 : 1);
    const leadSkip = leadValue.length - leadValue.trimStart().length;
    const bodySkip = bodyValue.length - bodyValue.trimStart().length;
    return findingSpans(lead, leadSkip, leadText.length, 0).concat(
      findingSpans(body, bodySkip, bodyText.length, bodyAt),
    );
  }

  function findingNode(span) {
    const finding = span.finding;
    const node = document.createElement("span");
    node.className = "proof-mark proof-" + (SEVERITIES.includes(finding.severity) ? finding.severity : "hint");
    node.title = finding.message;
    node.dataset.code = finding.code;
    node.dataset.field = finding.field;
    node.dataset.start = String(finding.start);
    node.dataset.end = String(finding.end);
    node.dataset.finding = String(finding.index);
    return node;
  }

  // The text with its placeholders and carried figures in <mark>s and the findings' words in
  // underlined spans. Marks never overlap and stay whole; findings may overlap each other and the
  // marks, so a finding's span is cut where it crosses another's edge or a mark's, and every
  // piece carries the finding. The element's text is always exactly `text`.
  function highlight(element, text, findings) {
    const keys = new Set(element.dataset.carried ? JSON.parse(element.dataset.carried) : []);
    const candidates = [];
    for (const match of text.matchAll(PLACEHOLDER)) candidates.push([match.index, match.index + match[0].length, false]);
    candidates.push(...carriedSpans(text, keys));
    candidates.sort((a, b) => a[0] - b[0]);
    const marks = [];
    let last = 0;
    for (const span of candidates) {
      if (span[0] < last) continue;
      marks.push(span);
      last = span[1];
    }
    const spans = (findings || []).slice().sort((a, b) => a.start - b.start || b.end - a.end);
    const cuts = new Set([0, text.length]);
    for (const [start, end] of marks) cuts.add(start).add(end);
    for (const span of spans) cuts.add(span.start).add(span.end);
    const points = Array.from(cuts).sort((a, b) => a - b);
    element.replaceChildren();
    let next = 0;
    let mark = null;
    let container = element;
    let open = []; // the finding spans open in the container, outermost first
    let entered = 0;
    let covering = []; // the findings over the piece, in the spans' order
    for (let i = 0; i + 1 < points.length; i += 1) {
      const from = points[i];
      const to = points[i + 1];
      while (next < marks.length && marks[next][1] <= from) next += 1;
      const inside = next < marks.length && marks[next][0] <= from ? marks[next] : null;
      if (inside !== mark) {
        mark = inside;
        open = [];
        container = element;
        if (mark) {
          container = document.createElement("mark");
          container.className = mark[2] ? "carried-number" : "placeholder";
          element.append(container);
        }
      }
      // A sweep: the findings that start by here join, those that ended leave (thousands of
      // findings in one text stay quick).
      covering = covering.filter((span) => span.end > from);
      while (entered < spans.length && spans[entered].start <= from) covering.push(spans[entered++]);
      let kept = 0;
      while (kept < open.length && kept < covering.length && open[kept].span === covering[kept]) kept += 1;
      open.length = kept;
      for (const span of covering.slice(kept)) {
        const node = findingNode(span);
        (open.length ? open[open.length - 1].node : container).append(node);
        open.push({ span: span, node: node });
      }
      (open.length ? open[open.length - 1].node : container).append(text.slice(from, to));
    }
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
      if (preview) highlight(preview, intro.value, findingSpans(intro, 0, intro.value.length, 0));
    }
    cards().forEach(function (card) {
      const text = measureText(card);
      const count = chars(text);
      const found = placeholders(text);
      card.querySelector("[data-chars]").textContent = String(count);
      card.querySelector("[data-placeholders]").textContent = String(found);
      highlight(card.querySelector("[data-preview]"), text, measureFindingSpans(card));
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
  // A check's findings (sent by the proofreading script below), with the texts it read.
  form.addEventListener("proofread", function (event) {
    checked = new Map();
    event.detail.findings.forEach(function (finding, index) {
      const value = event.detail.values.get(finding.field);
      if (value === undefined) return;
      if (!checked.has(finding.field)) checked.set(finding.field, { value: value, findings: [] });
      checked.get(finding.field).findings.push(Object.assign({ index: index }, finding));
    });
    recount();
  });
  // A finding, in the list or underlined in a preview, selects the words it is about in their field.
  document.addEventListener("click", function (event) {
    const pointer = event.target.closest("#check-results a[data-field], .measure-preview .proof-mark");
    if (!pointer) return;
    const field = document.getElementById(pointer.dataset.field);
    if (!field) return;
    event.preventDefault();
    field.focus();
    field.setSelectionRange(
      unitOffset(field.value, parseInt(pointer.dataset.start, 10)),
      unitOffset(field.value, parseInt(pointer.dataset.end, 10)),
    );
  });
  // "Take the saved text" after a conflict discards the form on purpose.
  document.querySelectorAll("[data-discard]").forEach(function (link) {
    link.addEventListener("click", function () {
      dirty = false;
    });
  });
  // Another form of the page's own (submit, sign off, a comment, a checked figure) would leave
  // the page and the unsaved text with it: it waits, saying why, beside the button pressed, until
  // the text is saved. The navigation's forms (log out, language) keep the browser's question.
  document.addEventListener("submit", function (event) {
    if (!dirty || event.target === form || !event.target.closest("main")) return;
    const notice = document.getElementById("unsaved-before-action");
    if (!notice) return;
    event.preventDefault();
    // A button may send a hidden form elsewhere on the page (the comments' replies): the notice
    // goes by the button then.
    const visible = event.target.offsetParent !== null;
    const anchor = visible || !event.submitter ? event.target : event.submitter;
    anchor.before(notice);
    notice.classList.remove("d-none");
    notice.focus();
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
// whose findings (a server-rendered, escaped fragment) replace the list; the editor above reads
// them from the list's links to underline their words in the previews.
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
  let due = false;
  let waiting = null;

  function findings() {
    return Array.from(results.querySelectorAll("a[data-field]"), (link) => ({
      field: link.dataset.field,
      start: parseInt(link.dataset.start, 10),
      end: parseInt(link.dataset.end, 10),
      severity: link.dataset.severity,
      code: link.dataset.code,
      message: link.dataset.message,
    }));
  }

  function show(html, values) {
    if (held) {
      waiting = { html: html, values: values };
      return;
    }
    results.innerHTML = html;
    form.dispatchEvent(new CustomEvent("proofread", { detail: { findings: findings(), values: values } }));
  }

  function check() {
    if (held) {
      due = true;
      return;
    }
    const ticket = ++sent;
    // What the check reads: a finding belongs to its field's text as it was sent.
    const values = new Map();
    for (const field of form.querySelectorAll("input[id], textarea[id]")) values.set(field.id, field.value);
    fetch(form.dataset.checkUrl, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
      .then((response) => response.text())
      .then((html) => {
        if (ticket === sent) show(html, values);
      })
      .catch(() => {});
  }

  document.addEventListener("pointerdown", () => {
    held = true;
  });
  document.addEventListener("pointerup", () => {
    held = false;
    const shown = waiting;
    waiting = null;
    if (due) {
      due = false;
      check();
    } else if (shown) {
      show(shown.html, shown.values);
    }
  });

  form.addEventListener("input", (event) => {
    if (event.target.form !== form) return;
    clearTimeout(timer);
    timer = setTimeout(check, 600);
  });
  check();
})();
