// The console's shell: sign-in, the signed-in staff member and their roles, the nav limited by role, and a
// hash router over the pages (no framework, no build step: ES modules served as they are).
import { api, ApiError, session } from "./api.js";
import { h, show } from "./ui.js";
import * as pages from "./pages.js";
import * as queues from "./queues.js";

const view = document.getElementById("view");
const nav = document.getElementById("nav");
const who = document.getElementById("who");
const alertBox = document.getElementById("alert");

const NAV = [
  ["queue", "Review queue", "#/queue"],
  ["items", "Review items", "#/items"],
  ["complaints", "Complaints", "#/complaints"],
  ["appeals", "Appeals", "#/appeals"],
  ["policy", "Policy changes", "#/policy"],
  ["audit", "Audit trail", "#/audit"],
];

const ROUTES = [
  [/^#\/queue$/, pages.queue],
  [/^#\/case\/([^/]+)$/, pages.casePage],
  [/^#\/policy$/, pages.policy],
  [/^#\/audit$/, pages.audit],
  [/^#\/items$/, queues.items],
  [/^#\/items\/([^/]+)$/, queues.item],
  [/^#\/complaints$/, queues.complaints],
  [/^#\/complaints\/([^/]+)$/, queues.caseView],
  [/^#\/appeals$/, queues.appeals],
];

let words = null;

/** What every page gets: the vocabulary, the signed-in staff member, and ways to report and navigate. */
function context() {
  const claims = session.claims() || {};
  const names = words.claims;
  const roles = claims[names.roles] || [];
  return {
    words,
    // actor: how the services' records name this staff member (`staff:<id>`, as an item's assignee).
    staff: { name: claims[names.name] || claims.sub || "", roles, actor: `${claims[names.kind]}:${claims.sub}` },
    has: (...wanted) => wanted.some((r) => roles.includes(r)),
    may: (page) => (words.pages[page] || []).some((r) => roles.includes(r)),
    fail,
    ok,
    go: (hash) => {
      if (window.location.hash === hash) render();
      else window.location.hash = hash;
    },
  };
}

/** A problem (RFC 9457) or any error, shown to the staff member: title, detail and the requirement named. */
export function fail(error) {
  const problem = error instanceof ApiError ? error.problem : {};
  const parts = [
    error instanceof ApiError ? `${error.status} ${problem.title || ""}`.trim() : "Error",
    problem.detail || error.message,
    problem.requirement ? `(${problem.requirement})` : "",
  ];
  alertBox.className = "alert error";
  show(alertBox, parts.filter(Boolean).join(" — "));
  alertBox.hidden = false;
  if (error instanceof ApiError && error.status === 401) render();
}

function ok(message) {
  alertBox.className = "alert ok";
  show(alertBox, message);
  alertBox.hidden = false;
}

function shell(ctx) {
  const signedIn = Boolean(session.token());
  show(
    nav,
    signedIn
      ? NAV.filter(([page]) => ctx.may(page)).map(([page, label, hash]) =>
          h("a", { href: hash, class: window.location.hash.startsWith(hash) ? "current" : "", dataset: { page } }, label),
        )
      : [],
  );
  show(
    who,
    signedIn
      ? [
          h("span", { class: "name", id: "staff-name" }, ctx.staff.name),
          h("span", { class: "roles", id: "staff-roles" }, ctx.staff.roles.join(", ") || "no role"),
          h("button", { type: "button", class: "link", id: "sign-out", onclick: signOut }, "Sign out"),
        ]
      : [],
  );
}

function signOut() {
  session.forget();
  alertBox.hidden = true;
  window.location.hash = "#/sign-in";
  render();
}

function landing(ctx) {
  const first = NAV.find(([page]) => ctx.may(page));
  return first ? first[2] : null;
}

// Each render is numbered: a page still loading when another render started (a click away, a sign-out) is
// dropped when it finishes, instead of replacing what is shown now.
let rendering = 0;

async function render() {
  const turn = ++rendering;
  const ctx = context();
  const claims = session.claims();
  const expired = claims && claims.exp && claims.exp * 1000 < Date.now();
  if (!session.token() || expired || claims?.[words.claims.kind] !== words.claims.staff_kind) {
    session.forget();
    shell(ctx);
    show(view, pages.signIn(ctx, () => {
      alertBox.hidden = true;
      const to = landing(context());
      if (to && window.location.hash !== to) window.location.hash = to;
      else render();
    }));
    return;
  }
  shell(ctx);
  const hash = window.location.hash || "";
  for (const [pattern, page] of ROUTES) {
    const match = hash.match(pattern);
    if (match) {
      show(view, h("p", { class: "muted" }, "Loading…"));
      try {
        const nodes = await page(ctx, ...match.slice(1).map(decodeURIComponent));
        if (turn === rendering) show(view, nodes);
      } catch (error) {
        if (turn !== rendering) return;
        fail(error);
        show(view, h("p", { class: "muted" }, "This page could not be loaded."));
      }
      return;
    }
  }
  const to = landing(ctx);
  if (to) {
    window.location.hash = to;
  } else {
    show(view, h("p", {}, "Your roles open no page of this console."));
  }
}

window.addEventListener("hashchange", () => {
  alertBox.hidden = true;
  render();
});

try {
  words = await api.vocabulary();
  await render();
} catch (error) {
  fail(error);
}
