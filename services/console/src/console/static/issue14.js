// Pages on the issue-14 APIs of slices Q (review items), R (complaint cases) and I (appeals), written to the
// shapes of docs/design/14-staff-console.md. Every call is in api.js; where a build does not serve an API
// yet, the page says so (its 404 problem) instead of failing.
import { api, ApiError } from "./api.js";
import { highlighted } from "./spans.js";
import { chip, field, h, show, table, until, when } from "./ui.js";

function unavailable(error, what) {
  if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
    return h("p", { class: "muted" }, `${what} is not served by this build yet.`);
  }
  throw error;
}

// --- slice Q: review items (open / assigned / escalated / closed) ----------------------------------------

export async function items(ctx) {
  const state = h("select", { id: "item-state" }, ["open", "assigned", "escalated", "closed"].map((s) => h("option", { value: s }, s)));
  const kind = h("select", { id: "item-kind" }, ["", "held_post", "complaint_case"].map((s) => h("option", { value: s }, s || "any kind")));
  const mine = h("input", { type: "checkbox", id: "item-mine" });
  const body = h("div", { id: "items" });
  async function load() {
    try {
      const page = await api.reviewItems({ state: state.value, kind: kind.value, assignee: mine.checked ? "me" : "" });
      show(
        body,
        table(
          [
            { label: "Priority", cell: (i) => String(i.priority ?? "") },
            { label: "Kind", cell: (i) => chip(i.kind || "") },
            { label: "Deadline", cell: (i) => (i.deadline ? h("span", { class: new Date(i.deadline) < new Date() ? "overdue" : "" }, until(i.deadline)) : "—") },
            { label: "Category", cell: (i) => i.category || "" },
            { label: "Assignee", cell: (i) => i.assignee || "—" },
            { label: "", cell: (i) => h("a", { class: "btn", href: `#/items/${encodeURIComponent(i.id)}` }, "Open") },
          ],
          page.items,
          { empty: "No item in this queue." },
        ),
      );
    } catch (error) {
      show(body, unavailable(error, "The review item queue (slice Q)"));
    }
  }
  for (const control of [state, kind, mine]) control.addEventListener("change", () => load().catch(ctx.fail));
  await load();
  return [h("h1", {}, "Review items"), h("div", { class: "inline" }, field("State", state), field("Kind", kind), field("Assigned to me", mine)), body];
}

export async function item(ctx, itemId) {
  let it;
  try {
    it = await api.reviewItem(itemId);
  } catch (error) {
    return [h("h1", {}, "Review item"), unavailable(error, "This review item")];
  }
  const reason = () => h("textarea", { required: true, minlength: 3, rows: 2, placeholder: "Reason (required)" });
  const act = (label, cls, run, needsReason = true) => {
    const text = needsReason ? reason() : null;
    return h(
      "form",
      {
        class: "decide",
        onsubmit: async (event) => {
          event.preventDefault();
          if (text && text.value.trim().length < 3) return ctx.fail(new Error("A reason is required."));
          try {
            await run(text?.value.trim());
            ctx.ok(`${label}: done.`);
            ctx.go(`#/items/${encodeURIComponent(itemId)}`);
          } catch (error) {
            ctx.fail(error);
          }
        },
      },
      text ? field("Reason", text) : null,
      h("button", { type: "submit", class: cls }, label),
    );
  };
  const category = h("select", {}, ctx.words.categories.map((c) => h("option", { value: c.code }, c.code)));
  const content = it.content || {};
  return [
    h("p", {}, h("a", { href: "#/items" }, "← Review items")),
    h("h1", {}, `Review item · ${it.kind || ""}`),
    h(
      "div",
      { class: "columns" },
      h(
        "section",
        { class: "card" },
        h("h2", {}, "Content"),
        h("p", { class: "content", lang: "zh" }, highlighted(content.text || "", content.matches || [])),
        h("dl", { class: "facts" },
          h("dt", {}, "State"), h("dd", {}, chip(it.state || "")),
          h("dt", {}, "Deadline"), h("dd", {}, it.deadline ? `${when(it.deadline)} (${until(it.deadline)})` : "—"),
          h("dt", {}, "Assignee"), h("dd", {}, it.assignee || "—"),
        ),
        h("h3", {}, "Notes"),
        table([{ label: "When", cell: (n) => when(n.at || n.created_at) }, { label: "Who", cell: (n) => n.by || "" }, { label: "Note", cell: (n) => n.text }], it.notes || [], { empty: "No note." }),
        h("h3", {}, "Related complaints"),
        table([{ label: "Receipt", cell: (c) => c.receipt_number || c.id }, { label: "Reason", cell: (c) => c.reason || "" }, { label: "Detail", cell: (c) => c.detail || "" }], it.case?.complaints || [], { empty: "None." }),
        h("h3", {}, "Decision history"),
        table([{ label: "When", cell: (d) => when(d.decided_at) }, { label: "Outcome", cell: (d) => d.outcome }, { label: "Reason", cell: (d) => d.reason }, { label: "By", cell: (d) => d.decided_by }], it.decisions || it.history || [], { empty: "None." }),
      ),
      h(
        "section",
        { class: "card" },
        h("h2", {}, "Act"),
        act("Claim", "secondary", () => api.claimItem(itemId), false),
        act("Release", "secondary", () => api.releaseItem(itemId), false),
        act("Add note", "secondary", (text) => api.noteItem(itemId, text)),
        act("Escalate to the chief editor", "secondary", (text) => api.escalateItem(itemId, text)),
        act("Uphold: approve", "good", (text) => api.decideItem(itemId, { outcome: "approve", reason: text })),
        h("label", { class: "field" }, h("span", {}, "Category for a stop"), category),
        act("Stop transmission", "danger", (text) => api.decideItem(itemId, { outcome: "stop_transmission", category: category.value, reason: text })),
      ),
    ),
  ];
}

// --- slice R: the complaint dashboard with deadlines (MB-14) ---------------------------------------------

export async function complaints(ctx) {
  const overdue = h("input", { type: "checkbox", id: "case-overdue" });
  const coordinated = h("input", { type: "checkbox", id: "case-coordinated" });
  const body = h("div", { id: "cases" });
  const stats = h("div", { id: "complaint-statistics" });
  async function load() {
    try {
      const page = await api.cases({ state: "open", overdue: overdue.checked || "", coordinated: coordinated.checked || "" });
      const rows = [...page.items].sort((a, b) => String(a.deadline).localeCompare(String(b.deadline)));
      show(
        body,
        table(
          [
            { label: "Deadline", cell: (c) => h("span", { class: new Date(c.deadline) < new Date() ? "overdue" : "" }, `${when(c.deadline)} · ${until(c.deadline)}`) },
            { label: "Category", cell: (c) => c.category || "" },
            { label: "Target", cell: (c) => [chip(c.target_type || ""), " ", h("code", {}, c.target_id || "")] },
            { label: "Complaints", cell: (c) => String(c.complaints ?? c.complaint_count ?? "") },
            { label: "", cell: (c) => (c.coordinated ? chip("coordinated", "danger") : null) },
            { label: "State", cell: (c) => chip(c.state || "") },
          ],
          rows,
          { empty: "No open complaint case." },
        ),
      );
    } catch (error) {
      show(body, unavailable(error, "The complaint cases (slice R)"));
    }
    try {
      const s = await api.complaintStatistics();
      show(stats, h("pre", { class: "changes" }, JSON.stringify(s, null, 1)));
    } catch (error) {
      show(stats, unavailable(error, "Complaint statistics"));
    }
  }
  for (const control of [overdue, coordinated]) control.addEventListener("change", () => load().catch(ctx.fail));
  await load();
  return [
    h("h1", {}, "Complaints"),
    h("p", { class: "muted" }, "Open complaint cases by deadline (MB-14). Nothing is taken down by complaints alone: a reviewer decides."),
    h("div", { class: "inline" }, field("Overdue only", overdue), field("Coordinated only", coordinated)),
    body,
    h("h2", {}, "Handling statistics"),
    stats,
  ];
}

// --- slice I: appeals (PA-6.2) ---------------------------------------------------------------------------

export async function appeals(ctx) {
  const body = h("div", { id: "appeals" });
  async function load() {
    try {
      const page = await api.appeals({ state: "open" });
      show(
        body,
        table(
          [
            { label: "Filed", cell: (a) => when(a.created_at || a.filed_at) },
            { label: "Against", cell: (a) => [chip(a.subject_kind || a.kind || ""), " ", h("code", {}, a.subject_id || a.sanction_id || a.entry_id || "")] },
            { label: "Statement", cell: (a) => a.statement || a.reason || "" },
            { label: "", cell: (a) => decideAppeal(ctx, a, load) },
          ],
          page.items,
          { empty: "No open appeal." },
        ),
      );
    } catch (error) {
      show(body, unavailable(error, "Appeals (slice I)"));
    }
  }
  await load();
  return [h("h1", {}, "Appeals"), h("p", { class: "muted" }, "Decided by a senior reviewer or the chief editor, never by whoever imposed the sanction (PA-6.2)."), body];
}

function decideAppeal(ctx, appeal, reload) {
  const reason = h("input", { required: true, minlength: 3, placeholder: "Reason (required)" });
  const decide = (upheld) => async () => {
    if (reason.value.trim().length < 3) return ctx.fail(new Error("A reason is required."));
    try {
      await api.decideAppeal(appeal.id, { upheld, reason: reason.value.trim() });
      ctx.ok(upheld ? "Appeal upheld." : "Appeal dismissed.");
      await reload();
    } catch (error) {
      ctx.fail(error);
    }
  };
  return h("div", { class: "inline" }, reason, h("button", { type: "button", class: "good", onclick: decide(true) }, "Uphold"), h("button", { type: "button", class: "danger", onclick: decide(false) }, "Dismiss"));
}
