// DOM helpers. Everything shown is built with createElement and textContent: staff read hostile content,
// so no data is ever parsed as markup (issue 14, Slice C).

/** h("a", {href: "#/x", class: "btn"}, "text", child, ...): an element; strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace a node's children. */
export function show(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

/** "2026-05-01T08:00:00+00:00" -> "2026-05-01 08:00 UTC" (staff across provinces read one clock). */
export function when(iso) {
  if (!iso) return "—";
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return String(iso);
  return moment.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** "in 3 h 5 min" / "overdue by 2 h" from now until a deadline. */
export function until(iso, now = Date.now()) {
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms)) return "—";
  const minutes = Math.round(Math.abs(ms) / 60000);
  const text = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return ms < 0 ? `overdue by ${text}` : `in ${text}`;
}

export function table(columns, rows, { empty = "Nothing here." } = {}) {
  if (!rows.length) return h("p", { class: "muted" }, empty);
  return h(
    "table",
    {},
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c.label)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, columns.map((c) => h("td", {}, c.cell(row)))))),
  );
}

/** A labelled form field. */
export function field(label, control) {
  return h("label", { class: "field" }, h("span", {}, label), control);
}

/** A checkbox with its label beside it. */
export function checkField(label, control) {
  return h("label", { class: "field check" }, h("span", {}, label), control);
}

export function chip(text, kind = "") {
  return h("span", { class: `chip ${kind}`.trim() }, text);
}

/** 5400 -> "1 h 30 min", 42 -> "42 s"; null -> "—" (handling times are given in seconds). */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

/** 0.25 -> "25%"; null -> "—". */
export function percent(rate) {
  return rate === null || rate === undefined ? "—" : `${Math.round(rate * 100)}%`;
}

/** A "More" button for a cursor-paged list: calls load() on click, hidden while there is no next page. */
export function moreButton(id, load, fail) {
  const button = h("button", { type: "button", class: "secondary", id, hidden: true }, "More");
  button.addEventListener("click", () => load().catch(fail));
  return button;
}

/** A yes-or-no decision in one row: a required text (`input`, checked for `minLength` characters, else `missing`
 * is shown) and two buttons; `run(yes, text)` sends it and answers the message shown, then `reload()`. */
export function yesOrNo(ctx, { dataset, input, minLength = 1, missing, yes, no, run, reload }) {
  const decide = (answer) => async () => {
    const text = input.value.trim();
    if (text.length < minLength) {
      ctx.fail(new Error(missing));
      return;
    }
    try {
      ctx.ok(await run(answer, text));
      await reload();
    } catch (error) {
      ctx.fail(error);
    }
  };
  return h(
    "div",
    { class: "inline", dataset },
    input,
    h("button", { type: "button", class: "good", onclick: decide(true) }, yes),
    h("button", { type: "button", class: "danger", onclick: decide(false) }, no),
  );
}

/** A table over a cursor-paged list (every list route answers {items, next_cursor}): `fetchPage(cursor)` reads
 * one page; `reload()` starts again from the first, the "More" button (`<id>-more`) appends the next. `columns`
 * and `empty` are functions, read at each drawing (a page's filters may change them). */
export function pagedTable(id, fetchPage, columns, empty, fail) {
  const body = h("div", { id });
  let cursor = null;
  let rows = [];
  async function load(fresh) {
    const page = await fetchPage(fresh ? null : cursor);
    rows = fresh ? [...page.items] : [...rows, ...page.items];
    cursor = page.next_cursor;
    more.hidden = !cursor;
    show(body, table(columns(), rows, { empty: empty() }));
  }
  const more = moreButton(`${id}-more`, () => load(false), fail);
  return { body, more, reload: () => load(true) };
}
