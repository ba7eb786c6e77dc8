// Tables in the section editor: a grid of cells with add and remove buttons for rows and
// columns, and a paste box for cells copied from Excel or WPS (tab-separated, a cell with line
// breaks in "…"). The measure's tab-separated field is the table the server reads: the grid
// writes it back on every change. Without this file that field is shown and edited as it is.
(function () {
  "use strict";

  // Reads tab-separated text as Python's csv module does (reports/tables.py): a cell opening
  // with " runs to the next lone ", "" inside it is one ", and a " elsewhere is text.
  function parse(text) {
    text = (text || "").replace(/\r\n?/g, "\n");
    if (text.endsWith("\n")) text = text.slice(0, -1);
    const rows = [];
    let row = [];
    let cell = "";
    let i = 0;
    let quoted = false;
    let atStart = true;
    while (i < text.length) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        if (ch === '"') quoted = false;
        else cell += ch;
        i += 1;
        continue;
      }
      if (ch === '"' && atStart) {
        quoted = true;
        atStart = false;
      } else if (ch === "\t") {
        row.push(cell);
        cell = "";
        atStart = true;
        i += 1;
        continue;
      } else if (ch === "\n") {
        row.push(cell);
        rows.push(row);
        row = [];
        cell = "";
        atStart = true;
        i += 1;
        continue;
      } else {
        cell += ch;
        atStart = false;
      }
      i += 1;
    }
    if (text.length) {
      row.push(cell);
      rows.push(row);
    }
    const width = rows.reduce((most, r) => Math.max(most, r.length), 0);
    return rows.map((r) => r.concat(Array(width - r.length).fill("")));
  }

  function quote(cell) {
    return /[\t\n\r"]/.test(cell) ? '"' + cell.replace(/"/g, '""') + '"' : cell;
  }

  function serialise(rows) {
    return rows.map((row) => row.map(quote).join("\t")).join("\n");
  }

  function cellTexts(block) {
    const field = block.querySelector("[data-table-tsv]");
    return field ? parse(field.value).flat() : [];
  }

  function button(label, className, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "btn btn-sm " + className;
    element.textContent = "×";
    element.title = label;
    element.setAttribute("aria-label", label);
    element.addEventListener("click", onClick);
    return element;
  }

  function setUp(block) {
    if (block.dataset.ready) return;
    block.dataset.ready = "1";
    const field = block.querySelector("[data-table-tsv]");
    const header = block.querySelector("[data-table-header]");
    const grid = block.querySelector("[data-table-grid]");
    const paste = block.querySelector("[data-table-paste]");
    const maxRows = parseInt(block.dataset.maxRows, 10);
    const maxColumns = parseInt(block.dataset.maxColumns, 10);
    let rows = parse(field.value);
    if (!rows.length) rows = [["", ""], ["", ""]];

    block.querySelector("[data-table-fallback]").classList.add("d-none");
    block.querySelectorAll("[data-table-js]").forEach((element) => element.classList.remove("d-none"));

    function sync() {
      field.value = serialise(rows);
      // The editor's counts, its unsaved mark and the proofreading check listen for input.
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function spread(text, top, left) {
      // Pasted cells fill the grid from the cell they were pasted into, growing it as needed.
      const pasted = parse(text);
      pasted.slice(0, maxRows - top).forEach(function (line, r) {
        while (rows.length <= top + r) rows.push(Array(rows[0].length).fill(""));
        line.slice(0, maxColumns - left).forEach(function (value, c) {
          while (rows[0].length <= left + c) rows.forEach((row) => row.push(""));
          rows[top + r][left + c] = value;
        });
      });
    }

    function draw() {
      const table = document.createElement("table");
      table.className = "table table-bordered table-sm table-grid mb-1";
      table.classList.toggle("has-header", Boolean(header && header.checked));
      table.dataset.testid = "table-grid";
      const body = document.createElement("tbody");
      rows.forEach(function (row, r) {
        const tr = document.createElement("tr");
        row.forEach(function (value, c) {
          const td = document.createElement("td");
          const input = document.createElement("textarea");
          input.rows = 1;
          input.className = "form-control form-control-sm";
          input.value = value;
          input.setAttribute("aria-label", block.dataset.cell + " " + (r + 1) + "," + (c + 1));
          input.dataset.row = String(r);
          input.dataset.column = String(c);
          input.addEventListener("input", function (event) {
            event.stopPropagation();
            rows[r][c] = input.value;
            sync();
          });
          input.addEventListener("paste", function (event) {
            const text = (event.clipboardData || window.clipboardData).getData("text");
            if (!/[\t\n]/.test(text)) return;
            event.preventDefault();
            spread(text, r, c);
            draw();
            sync();
          });
          td.append(input);
          tr.append(td);
        });
        const tools = document.createElement("td");
        tools.className = "table-tools";
        if (rows.length > 1) {
          tools.append(
            button(block.dataset.removeRow, "btn-link text-danger p-0", function () {
              rows.splice(r, 1);
              draw();
              sync();
            })
          );
        }
        tr.append(tools);
        body.append(tr);
      });
      const foot = document.createElement("tr");
      rows[0].forEach(function (_value, c) {
        const td = document.createElement("td");
        td.className = "table-tools";
        if (rows[0].length > 1) {
          td.append(
            button(block.dataset.removeColumn, "btn-link text-danger p-0", function () {
              rows.forEach((row) => row.splice(c, 1));
              draw();
              sync();
            })
          );
        }
        foot.append(td);
      });
      foot.append(document.createElement("td"));
      body.append(foot);
      table.append(body);
      grid.replaceChildren(table);
      block.querySelector("[data-table-add='row']").disabled = rows.length >= maxRows;
      block.querySelector("[data-table-add='column']").disabled = rows[0].length >= maxColumns;
    }

    block.querySelector("[data-table-add='row']").addEventListener("click", function () {
      rows.push(Array(rows[0].length).fill(""));
      draw();
      sync();
      const cells = grid.querySelectorAll("textarea");
      cells[cells.length - rows[0].length].focus();
    });
    block.querySelector("[data-table-add='column']").addEventListener("click", function () {
      rows.forEach((row) => row.push(""));
      draw();
      sync();
    });
    block.querySelector("[data-table-remove]").addEventListener("click", function () {
      rows = [];
      field.value = "";
      field.dispatchEvent(new Event("input", { bubbles: true }));
      const add = document.createElement("button");
      add.type = "submit";
      add.name = "add_table";
      add.value = field.name.replace(/-table$/, "");
      add.className = "btn btn-sm btn-outline-secondary mb-2";
      add.dataset.addTable = "";
      add.textContent = block.dataset.addLabel;
      // The emptied field stays in the form (hidden): an empty table is no table.
      block.replaceWith(add);
      add.after(field);
      field.classList.add("d-none");
      add.focus();
    });
    if (header) {
      header.addEventListener("change", function () {
        grid.querySelector("table").classList.toggle("has-header", header.checked);
      });
    }
    paste.addEventListener("input", function () {
      if (!paste.value.trim()) return;
      rows = parse(paste.value);
      if (rows.length > maxRows) rows = rows.slice(0, maxRows);
      rows = rows.map((row) => row.slice(0, maxColumns));
      paste.value = "";
      draw();
      sync();
    });
    paste.addEventListener("paste", function (event) {
      const text = (event.clipboardData || window.clipboardData).getData("text");
      event.preventDefault();
      paste.value = text;
      paste.dispatchEvent(new Event("input", { bubbles: true }));
    });
    draw();
    sync();
  }

  function addTable(button) {
    const template = document.getElementById("table-template");
    if (!template) return false;
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, button.value).trim();
    const block = holder.firstElementChild;
    // A field left behind by "Remove the table" goes: the new block has its own.
    const leftover = button.nextElementSibling;
    if (leftover && leftover.matches("[data-table-tsv]")) leftover.remove();
    button.replaceWith(block);
    setUp(block);
    const first = block.querySelector("[data-table-grid] textarea");
    if (first) first.focus();
    return true;
  }

  const form = document.getElementById("section-form");
  if (form) {
    form.querySelectorAll("[data-table-editor]").forEach(setUp);
    form.addEventListener("click", function (event) {
      const target = event.target.closest("[data-add-table]");
      if (target && addTable(target)) event.preventDefault();
    });
  }

  window.HuigaoTables = { parse: parse, serialise: serialise, cellTexts: cellTexts };
})();
