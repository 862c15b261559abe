// The console's pages on the APIs that exist: sign-in, the review queue of held posts and a held post's case
// page (MB-6.1), policy changes (MB-6.1: the chief editor decides), the audit trail (every service's staff
// actions). Each page returns its nodes; the shell puts them in <main>.
import { api, session } from "./api.js";
import { highlighted } from "./spans.js";
import { chip, field, h, pagedTable, show, table, when, yesOrNo } from "./ui.js";

export function signIn(ctx, done) {
  const username = h("input", { name: "username", id: "username", autocomplete: "username", required: true });
  const password = h("input", { name: "password", id: "password", type: "password", autocomplete: "current-password", required: true });
  const submit = h("button", { type: "submit", id: "sign-in" }, "Sign in");
  const form = h(
    "form",
    {
      class: "card narrow",
      id: "sign-in-form",
      onsubmit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        try {
          const token = await api.signIn(username.value, password.value);
          session.keep(token.access_token);
          done();
        } catch (error) {
          ctx.fail(error);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h("h1", {}, "Staff sign-in"),
    h("p", { class: "muted" }, "Staff accounts only (MB-6.1). Your session ends when this tab closes."),
    field("Username", username),
    field("Password", password),
    submit,
  );
  return form;
}

// --- the review queue (MB-6.1) -------------------------------------------------------------------------

export async function queue(ctx) {
  const list = pagedTable(
    "queue",
    (cursor) => api.reviews(cursor),
    () => [
          { label: "Held", cell: (r) => when(r.held_at) },
          { label: "Why", cell: (r) => [chip(r.rule), " ", r.reason] },
          { label: "Risk", cell: (r) => chip(r.risk, `risk-${r.risk}`) },
          { label: "Text", cell: (r) => h("span", { class: "excerpt" }, highlighted(r.text, r.matches)) },
      { label: "", cell: (r) => h("a", { class: "btn", href: `#/case/${encodeURIComponent(r.decision_id)}`, dataset: { post: r.post_id } }, "Open") },
    ],
    () => "No held post is waiting for review.",
    ctx.fail,
  );
  await list.reload();
  return [h("h1", {}, "Review queue"), h("p", { class: "muted" }, "Held posts, oldest first, with why each was held (MB-6.1)."), list.body, list.more];
}

async function findHeld(decisionId) {
  let cursor = null;
  do {
    const page = await api.reviews(cursor);
    const item = page.items.find((i) => i.decision_id === decisionId);
    if (item) return item;
    cursor = page.next_cursor;
  } while (cursor);
  return null;
}

export async function casePage(ctx, decisionId) {
  const item = await findHeld(decisionId);
  if (!item) {
    return [h("h1", {}, "Case"), h("p", {}, "This post is no longer in the queue (decided already, MB-6.1)."), h("a", { href: "#/queue" }, "Back to the queue")];
  }
  const [standing, history] = await Promise.allSettled([api.standing(item.author_id), api.decisions(item.post_id)]);
  return [
    h("p", {}, h("a", { href: "#/queue" }, "← Review queue")),
    h("h1", {}, "Held post"),
    h(
      "div",
      { class: "columns" },
      h(
        "section",
        { class: "card" },
        h("h2", {}, "Content"),
        h("p", { class: "content", id: "case-text", lang: "zh" }, highlighted(item.text, item.matches)),
        h("dl", { class: "facts" },
          h("dt", {}, "Post"), h("dd", {}, h("code", {}, item.post_id)),
          h("dt", {}, "Written"), h("dd", {}, when(item.created_at)),
          h("dt", {}, "Held"), h("dd", {}, when(item.held_at), " · ", chip(item.rule), " ", item.reason),
          h("dt", {}, "Suggestion"), h("dd", {}, chip(item.suggestion), " ", chip(item.risk, `risk-${item.risk}`), " ", item.category || ""),
        ),
        h("h3", {}, "Matched"),
        matchesTable(item.matches),
        item.rumour_hits.length
          ? [h("h3", {}, "Rumour hits (MB-11)"), table([{ label: "Rumour", cell: (r) => h("code", {}, r.rumour_id) }, { label: "Similarity", cell: (r) => r.similarity.toFixed(2) }], item.rumour_hits)]
          : null,
      ),
      h("section", { class: "card" }, h("h2", {}, "Decide"), decideForms(ctx, item)),
    ),
    h("section", { class: "card", id: "standing" }, h("h2", {}, "The author's standing (PA-6.2)"), standingView(standing)),
    h("section", { class: "card", id: "history" }, h("h2", {}, "Decision history"), historyView(history)),
  ];
}

function decideForms(ctx, item) {
  const done = h("p", { id: "decided", class: "muted" });
  function form(id, outcome, label, extra, cls) {
    const reason = h("textarea", { name: "reason", required: true, minlength: 3, maxlength: 2000, rows: 2, placeholder: "The reason, shown in the statement of reasons (MB-12.2)" });
    const button = h("button", { type: "submit", class: cls }, label);
    return h(
      "form",
      {
        id,
        class: "decide",
        onsubmit: async (event) => {
          event.preventDefault();
          const category = extra?.value;
          if (reason.value.trim().length < 3) {
            ctx.fail(new Error("A reason is required (MB-12.2)."));
            return;
          }
          button.disabled = true;
          try {
            const decision = await api.decideReview(item.decision_id, { outcome, reason: reason.value.trim(), category });
            show(done, `Decided: ${decision.outcome} (${decision.legal_basis.join(", ") || "no legal basis"}) by ${decision.decided_by}.`);
            ctx.ok(`Decision recorded: ${decision.outcome}.`);
            for (const f of document.querySelectorAll("form.decide button")) f.disabled = true;
          } catch (error) {
            ctx.fail(error);
            button.disabled = false;
          }
        },
      },
      extra ? field("Category (BJ-10)", extra) : null,
      field("Reason", reason),
      button,
    );
  }
  const category = h(
    "select",
    { name: "category", required: true },
    h("option", { value: "" }, "— choose —"),
    ctx.words.categories.map((c) => h("option", { value: c.code, selected: c.code === item.category }, `${c.code} (${c.requirement})`)),
  );
  return [
    form("approve-form", "approve", "Approve: publish", null, "good"),
    form("stop-form", "stop_transmission", "Stop transmission", category, "danger"),
    done,
  ];
}

function standingView(result) {
  if (result.status === "rejected") return h("p", { class: "muted" }, `Not available: ${result.reason.message}`);
  const s = result.value;
  return [
    h("dl", { class: "facts" },
      h("dt", {}, "Credit"), h("dd", {}, `${s.credit_score} (${s.credit_level})`),
      h("dt", {}, "Grade"), h("dd", {}, String(s.grade)),
      h("dt", {}, "Followers"), h("dd", {}, String(s.followers)),
      h("dt", {}, "Account"), h("dd", {}, s.account_kind, s.closed ? " · closed" : "", s.suspended_until ? ` · suspended until ${when(s.suspended_until)}` : ""),
    ),
    h("h3", {}, "Sanctions in force"),
    table(
      [
        { label: "Kind", cell: (x) => x.kind },
        { label: "Reason", cell: (x) => x.reason },
        { label: "Basis", cell: (x) => x.legal_basis.join(", ") },
        { label: "Until", cell: (x) => when(x.ends_at) },
      ],
      s.sanctions,
      { empty: "None." },
    ),
    h("h3", {}, "Credit history"),
    table(
      [
        { label: "When", cell: (x) => when(x.created_at) },
        { label: "Change", cell: (x) => (x.delta > 0 ? `+${x.delta}` : String(x.delta)) },
        { label: "Cause", cell: (x) => x.cause },
        { label: "Basis", cell: (x) => x.legal_basis.join(", ") },
      ],
      s.ledger.slice(0, 20),
      { empty: "No entry." },
    ),
  ];
}

/** The lexicon terms a decision matched: term, category, where (code points), how written. */
export function matchesTable(matches) {
  return table(
    [
      { label: "Term", cell: (m) => m.term },
      { label: "Category", cell: (m) => m.category },
      { label: "Where (code points)", cell: (m) => `${m.start}–${m.end}` },
      { label: "Written as", cell: (m) => m.channel },
    ],
    matches,
    { empty: "No lexicon term matched (held by a rule)." },
  );
}

function historyView(result) {
  if (result.status === "rejected") return h("p", { class: "muted" }, `Not available: ${result.reason.message}`);
  return decisionsTable(result.value.items);
}

/** A post's moderation decisions (GET /v1/moderation/posts/{id}/decisions, or a review item's). */
export function decisionsTable(decisions) {
  return table(
    [
      { label: "When", cell: (d) => when(d.decided_at) },
      { label: "Stage", cell: (d) => d.stage },
      { label: "Outcome", cell: (d) => chip(d.outcome, `outcome-${d.outcome}`) },
      { label: "Rule", cell: (d) => d.rule },
      { label: "Reason", cell: (d) => d.reason },
      { label: "Basis", cell: (d) => d.legal_basis.join(", ") },
      { label: "By", cell: (d) => [d.decided_by, d.final ? [" ", chip("final", "danger")] : null] },
    ],
    decisions,
    { empty: "No decision yet." },
  );
}

// --- policy changes (MB-6.1) ---------------------------------------------------------------------------

export async function policy(ctx) {
  const status = h(
    "select",
    { id: "policy-status" },
    ["proposed", "approved", "rejected", ""].map((s) => h("option", { value: s }, s || "all")),
  );
  const chief = ctx.has(ctx.words.chief_editor);
  const list = pagedTable(
    "policy-changes",
    (cursor) => api.policyChanges(status.value, cursor),
    () => [
      { label: "Proposed", cell: (c) => [when(c.proposed_at), h("br"), c.proposed_by] },
      { label: "Kind", cell: (c) => chip(c.kind) },
      { label: "Change", cell: changeView },
      { label: "Reason", cell: (c) => c.reason },
      { label: "Measured (MB-6.1)", cell: evaluationsView },
      { label: "Status", cell: (c) => [chip(c.status, `status-${c.status}`), c.decided_by ? [h("br"), c.decided_by, ": ", c.decision_note || ""] : null, c.release ? ` · release ${c.release}` : ""] },
      { label: "", cell: (c) => (chief && c.status === "proposed" ? decideChange(ctx, c, () => list.reload()) : null) },
    ],
    () => "No policy change.",
    ctx.fail,
  );
  status.addEventListener("change", () => list.reload().catch(ctx.fail));
  await list.reload();
  return [
    h("h1", {}, "Policy changes"),
    h("p", { class: "muted" }, chief ? "Lexicon and routing changes wait for your approval (MB-6.1)." : "Only the chief editor decides a change (MB-6.1)."),
    field("Status", status),
    list.body,
    list.more,
  ];
}

/** Issue 16: the measured recall and false positives of the lexicon a change would produce (seen before approving,
 * MB-6.1), and of the release it became. */
function evaluationsView(c) {
  if (c.kind !== "lexicon") return null;
  return h(
    "div",
    { class: "evaluation", dataset: { evaluation: c.id } },
    evaluationView("Would produce", c.evaluation),
    c.release_evaluation ? evaluationView(`Release ${c.release_evaluation.release}`, c.release_evaluation) : null,
  );
}

/** A rate as a percentage to two decimals (a false-positive goal is 0.5%). */
function pct(rate) {
  return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(2)}%`;
}

function evaluationView(title, e) {
  if (!e) return h("p", { class: "muted" }, `${title}: not evaluated yet`);
  if (e.status === "pending") return h("p", {}, `${title}: `, chip("evaluation pending", "risk-medium"));
  if (e.status === "failed") return h("p", {}, `${title}: `, chip("evaluation failed", "danger"), ` ${e.error || ""}`);
  const recallOk = e.recall_min >= e.recall_goal;
  const fpOk = e.false_positive_rate <= e.false_positive_goal;
  return h(
    "div",
    { class: "figures" },
    h("strong", {}, `${title}: `),
    chip(`recall ≥ ${pct(e.recall_min)} per technique`, recallOk ? "good" : "danger"),
    ` goal ≥ ${pct(e.recall_goal)} · `,
    chip(`false positives ${pct(e.false_positive_rate)}`, fpOk ? "good" : "danger"),
    ` goal ≤ ${pct(e.false_positive_goal)}`,
    h("br"),
    h("small", { class: "muted" }, `${e.variants} variants, ${e.sentences} clean sentences · lexicon ${e.lexicon_version} · ${e.engine_version}`),
    e.techniques_below_goal.length
      ? h("p", { class: "below-goal" }, "Below goal: ", e.techniques_below_goal.map((t) => `${t} ${pct(e.recall_by_technique[t])}`).join(", "))
      : null,
  );
}

/** A change's size and its entries (a list shows the first of them: an imported lexicon has tens of thousands). */
function changeView(c) {
  const size = c.kind === "lexicon" ? h("p", { class: "muted" }, `${c.add_count} added, ${c.remove_count} removed${c.preview ? " (the first shown)" : ""}`) : null;
  return [size, h("pre", { class: "changes" }, JSON.stringify(c.changes, null, 1))];
}

function decideChange(ctx, change, reload) {
  return yesOrNo(ctx, {
    dataset: { change: change.id },
    input: h("input", { name: "note", required: true, maxlength: 2000, placeholder: "Note (required)" }),
    missing: "A note is required with the decision (MB-6.1).",
    yes: "Approve",
    no: "Reject",
    run: async (approve, note) => {
      const decided = await api.decidePolicyChange(change.id, approve, note);
      return `Change ${decided.status}${decided.release ? `: release ${decided.release}` : ""}.`;
    },
    reload,
  });
}

// --- the audit trail (MB-7.3: who did what, refused attempts too) -----------------------------------------

export async function audit(ctx) {
  const actor = h("input", { id: "audit-actor", placeholder: "staff:… (empty: everyone)" });
  const service = h("select", { id: "audit-service" }, h("option", { value: "" }, "every service"), ctx.words.audited_services.map((s) => h("option", { value: s }, s)));
  const body = h("div", { id: "audit" });
  async function load() {
    const services = service.value ? [service.value] : ctx.words.audited_services;
    const answers = await Promise.allSettled(services.map((s) => api.staffActions(s, actor.value.trim())));
    const rows = [];
    const missing = [];
    answers.forEach((answer, i) => {
      if (answer.status === "fulfilled") rows.push(...answer.value.map((r) => ({ ...r, service: services[i] })));
      else missing.push(`${services[i]}: ${answer.reason.message}`);
    });
    rows.sort((a, b) => (a.at < b.at ? 1 : -1));
    show(
      body,
      missing.length ? h("p", { class: "muted" }, `Not read: ${missing.join("; ")}`) : null,
      table(
        [
          { label: "When", cell: (r) => when(r.at) },
          { label: "Service", cell: (r) => r.service },
          { label: "Who", cell: (r) => [r.actor, h("br"), h("small", {}, r.roles.join(", "))] },
          { label: "Asked", cell: (r) => h("code", {}, `${r.method} ${r.path}`) },
          { label: "", cell: (r) => (r.allowed ? chip("allowed", "good") : chip("refused", "danger")) },
          { label: "Reason given", cell: (r) => r.reason || "" },
        ],
        rows,
        { empty: "No staff action recorded." },
      ),
    );
  }
  const filter = h("form", { class: "inline", id: "audit-filter", onsubmit: (e) => { e.preventDefault(); load().catch(ctx.fail); } }, field("Service", service), field("Who", actor), h("button", { type: "submit" }, "Show"));
  await load();
  return [h("h1", {}, "Audit trail"), h("p", { class: "muted" }, "Every staff request each service admitted or refused, newest first."), filter, body];
}
