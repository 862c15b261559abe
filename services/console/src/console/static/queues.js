// The review work beyond the held-post queue: review items of both kinds (held posts and complaint cases:
// claim, release, notes, escalation, decision; MB-6.1, PA-5.1, MB-14), the complaint dashboard with deadlines
// and handling statistics (MB-14, PA-15.2), and appeals of sanctions and credit penalties (PA-6.2).
import { api } from "./api.js";
import { decisionsTable, matchesTable } from "./pages.js";
import { highlighted } from "./spans.js";
import { checkField, chip, duration, field, h, pagedTable, percent, show, table, until, when, yesOrNo } from "./ui.js";

const ITEM_STATES = ["open", "assigned", "escalated", "closed"];
const ITEM_KINDS = ["held_post", "complaint_case"];
const CASE_ACTIONS = ["stop", "label", "sanction", "none"];

function deadline(iso) {
  if (!iso) return "—";
  const late = new Date(iso) < new Date();
  return h("span", { class: late ? "overdue" : "" }, `${when(iso)} · ${until(iso)}`);
}

const kindLabel = (kind) => (kind === "complaint_case" ? "complaint case" : "held post");
const stateChip = (state) => chip(state, `state-${state}`);

// --- review items (MB-6.1, MB-14) ------------------------------------------------------------------------

export async function items(ctx) {
  const state = h("select", { id: "item-state" }, h("option", { value: "" }, "not closed"), ITEM_STATES.map((s) => h("option", { value: s }, s)));
  const kind = h("select", { id: "item-kind" }, h("option", { value: "" }, "any kind"), ITEM_KINDS.map((k) => h("option", { value: k }, kindLabel(k))));
  const mine = h("input", { type: "checkbox", id: "item-mine" });
  const stats = h("div", { id: "review-statistics" });
  const list = pagedTable(
    "items",
    (cursor) => api.reviewItems({ state: state.value, kind: kind.value, assignee: mine.checked ? "me" : "", cursor }),
    () => [
          { label: "Priority", cell: (i) => String(i.priority) },
          { label: "Kind", cell: (i) => chip(kindLabel(i.kind)) },
          { label: "Target", cell: (i) => [i.target_type, " ", h("code", {}, i.target_id)] },
          { label: "Category", cell: (i) => i.category || "—" },
          { label: "Deadline", cell: (i) => deadline(i.deadline) },
          { label: "State", cell: (i) => [stateChip(i.state), i.final ? [" ", chip("final", "danger")] : null] },
          { label: "Assignee", cell: (i) => (i.assignee === ctx.staff.actor ? "me" : i.assignee || "—") },
          { label: "", cell: (i) => h("a", { class: "btn", href: `#/items/${encodeURIComponent(i.id)}`, dataset: { item: i.id, target: i.target_id } }, "Open") },
    ],
    () => "No item in this queue.",
    ctx.fail,
  );
  for (const control of [state, kind, mine]) control.addEventListener("change", () => list.reload().catch(ctx.fail));
  await Promise.all([list.reload(), api.reviewStatistics().then((s) => show(stats, reviewStatistics(s)))]);
  return [
    h("h1", {}, "Review items"),
    h("p", { class: "muted" }, "Held posts and complaint cases, highest priority first, then the nearest deadline (MB-6.1, MB-14)."),
    h("div", { class: "inline" }, field("State", state), field("Kind", kind), checkField("Assigned to me", mine)),
    list.body,
    list.more,
    h("h2", { class: "spaced" }, "Handling (the last 30 days)"),
    stats,
  ];
}

function reviewStatistics(s) {
  return [
    h("dl", { class: "facts" },
      h("dt", {}, "Decided"), h("dd", {}, String(s.decided)),
      h("dt", {}, "Handling time"), h("dd", {}, `average ${duration(s.average_handling_s)}, p90 ${duration(s.p90_handling_s)}`),
      h("dt", {}, "Acted on"), h("dd", {}, percent(s.action_rate)),
    ),
    table(
      [
        { label: "Kind", cell: (c) => kindLabel(c.kind) },
        { label: "State", cell: (c) => stateChip(c.state) },
        { label: "Items", cell: (c) => String(c.count) },
      ],
      s.counts,
      { empty: "No item opened in the period." },
    ),
  ];
}

export async function item(ctx, itemId) {
  const it = await api.reviewItem(itemId);
  const content = it.kind === "held_post" ? heldContent(it) : await caseContent(it);
  return [
    h("p", {}, h("a", { href: "#/items" }, "← Review items")),
    h("h1", {}, `Review item · ${kindLabel(it.kind)}`),
    h(
      "div",
      { class: "columns" },
      h(
        "section",
        { class: "card" },
        content,
        h("dl", { class: "facts", id: "item-facts" },
          h("dt", {}, "State"), h("dd", { id: "item-state-shown" }, stateChip(it.state), it.final ? [" ", chip("final", "danger")] : null),
          h("dt", {}, "Priority"), h("dd", {}, String(it.priority)),
          h("dt", {}, "Deadline"), h("dd", {}, deadline(it.deadline)),
          h("dt", {}, "Opened"), h("dd", {}, when(it.opened_at)),
          h("dt", {}, "Assignee"), h("dd", {}, it.assignee || "—"),
          it.escalation_reason ? [h("dt", {}, "Escalated"), h("dd", {}, it.escalation_reason)] : null,
          it.closed_at ? [h("dt", {}, "Closed"), h("dd", {}, `${when(it.closed_at)} by ${it.closed_by}`, closedWith(it))] : null,
        ),
      ),
      h("section", { class: "card", id: "item-actions" }, h("h2", {}, "Act"), actions(ctx, it)),
    ),
    h("section", { class: "card", id: "item-notes" }, h("h2", {}, "Notes"), table(
      [
        { label: "When", cell: (n) => when(n.at) },
        { label: "Who", cell: (n) => n.actor },
        { label: "Note", cell: (n) => n.text },
      ],
      it.notes,
      { empty: "No note." },
    )),
    h("section", { class: "card", id: "item-history" }, h("h2", {}, "History"), table(
      [
        { label: "When", cell: (a) => when(a.at) },
        { label: "Who", cell: (a) => a.actor },
        { label: "Action", cell: (a) => chip(a.action) },
        { label: "Why", cell: (a) => a.text || "" },
      ],
      it.history,
      { empty: "No action yet." },
    )),
    h("section", { class: "card", id: "item-decisions" }, h("h2", {}, "Moderation decisions of the target"), decisionsTable(it.decisions)),
  ];
}

function closedWith(it) {
  if (it.kind === "complaint_case") return [" · ", it.upheld ? chip("upheld", "good") : chip("dismissed"), ` action: ${it.action}`];
  return it.resolution ? [" · decision ", h("code", {}, it.resolution)] : null;
}

function heldContent(it) {
  return [
    h("h2", {}, "Content"),
    h("p", { class: "content", id: "item-text", lang: "zh" }, highlighted(it.text || "", it.matches)),
    h("p", {}, "Post ", h("code", {}, it.target_id), " · ", it.category || "no category"),
    h("h3", {}, "Matched"),
    matchesTable(it.matches),
  ];
}

async function caseContent(it) {
  const c = it.case;
  const [detail, post] = await Promise.allSettled([
    api.caseDetail(c.case_id),
    it.target_type === "post" ? api.post(it.target_id) : Promise.resolve(null),
  ]);
  let target;
  if (it.target_type !== "post") target = h("p", {}, "Account ", h("code", {}, it.target_id));
  else if (post.status === "fulfilled") target = h("p", { class: "content", id: "item-text", lang: "zh" }, highlighted(post.value.text, it.matches));
  else target = h("p", { class: "muted", id: "item-text" }, `The post is not served: ${post.reason.message}`);
  return [
    h("h2", {}, "Complained about"),
    target,
    h("dl", { class: "facts" },
      h("dt", {}, "Case"), h("dd", {}, h("a", { href: `#/complaints/${encodeURIComponent(c.case_id)}` }, c.case_id)),
      h("dt", {}, "Target"), h("dd", {}, `${c.target_type} `, h("code", {}, it.target_id), c.author_id ? [" by ", h("code", {}, c.author_id)] : null),
      h("dt", {}, "Categories"), h("dd", {}, c.categories.join(", ")),
      h("dt", {}, "Complaints"), h("dd", {}, `${c.complaint_count} (weight ${c.weight.toFixed(1)})`, caseMarkers({ coordinated: c.coordinated, escalated: c.escalated, overdue: it.deadline !== null && new Date(it.deadline) < new Date() })),
      h("dt", {}, "Victim's proof"), h("dd", {}, c.victim_proof ? "given" : "none"),
    ),
    h("h3", {}, "Complaints"),
    detail.status === "fulfilled"
      ? complaintsTable(detail.value.complaints)
      : h("p", { class: "muted" }, `Not available: ${detail.reason.message}`),
  ];
}

/** The marks of a case: a coordinated burst of reporters, escalated (its deadline near), overdue. */
function caseMarkers({ coordinated, escalated, overdue }) {
  return [
    coordinated ? [" ", chip("coordinated", "danger")] : null,
    escalated ? [" ", chip("escalated", "risk-medium")] : null,
    overdue ? [" ", chip("overdue", "danger")] : null,
  ];
}

// reporting's case (CaseRead) and moderation's facts of it (CaseFactsRead) say "escalated" each their way.
const listedMarks = (c) => caseMarkers({ coordinated: c.coordinated, escalated: c.escalated_at !== null, overdue: c.overdue });

function complaintsTable(complaints) {
  return h("div", { id: "case-complaints" }, table(
    [
      { label: "Filed", cell: (c) => when(c.filed_at) },
      { label: "Reporter", cell: (c) => h("code", {}, c.complainant_id) },
      { label: "Reason", cell: (c) => chip(c.reason) },
      { label: "Detail", cell: (c) => c.detail || "" },
      { label: "Weight", cell: (c) => c.weight.toFixed(1) },
      { label: "Evidence", cell: (c) => [...c.evidence.urls, ...c.evidence.media_ids.map((m) => `media ${m}`)].join(", ") || "—" },
      { label: "Status", cell: (c) => chip(c.status) },
    ],
    complaints,
    { empty: "No complaint." },
  ));
}

/** The actions this staff member may take on the item now: the services decide, the page offers only these. */
function actions(ctx, it) {
  const chief = ctx.has(ctx.words.chief_editor);
  const mine = it.assignee === ctx.staff.actor;
  const out = [];
  const again = () => ctx.go(`#/items/${encodeURIComponent(it.id)}`);
  if (it.state === "closed") {
    out.push(h("p", { class: "muted", id: "item-closed" }, "Decided: this item is closed."));
  } else if (it.state === "escalated") {
    out.push(h("p", { class: "muted", id: "escalated-note" }, "Escalated to the chief editor, who alone decides it, finally (MB-6.1, PA-5.1)."));
    if (chief) out.push(decideForms(ctx, it, again));
  } else {
    if (it.state === "open") out.push(form(ctx, "claim-form", "Claim", "secondary", null, () => api.claimItem(it.id), again));
    if (it.state === "assigned" && (mine || chief)) out.push(form(ctx, "release-form", "Release", "secondary", null, () => api.releaseItem(it.id), again));
    if (mine || chief) out.push(decideForms(ctx, it, again));
    else if (it.state === "open") out.push(h("p", { class: "muted" }, "Claim the item to decide it (MB-6.1)."));
    else out.push(h("p", { class: "muted" }, `Held by ${it.assignee}.`));
    if (it.state === "open" || mine) {
      out.push(form(ctx, "escalate-form", "Escalate to the chief editor", "secondary", reasonBox("Why the chief editor should decide"), (why) => api.escalateItem(it.id, why), again));
    }
  }
  out.push(form(ctx, "note-form", "Add note", "secondary", reasonBox("A note for whoever handles it", "text", 1), (text) => api.noteItem(it.id, text), again));
  return out;
}

/** A required reason (or, named "text", a note) for a form of one action: [its label, the textarea]. */
function reasonBox(placeholder = "The reason, shown in the statement of reasons (MB-12.2)", name = "reason", minlength = 3) {
  return [name === "text" ? "Note" : "Reason", h("textarea", { name, required: true, minlength, maxlength: 2000, rows: 2, placeholder })];
}

/** A form of one action: its optional fields, an optional required text, and a button; done() after it. */
function form(ctx, id, label, cls, box, run, done, ...fields) {
  const [textLabel, text] = box || [];
  const button = h("button", { type: "submit", class: cls }, label);
  return h(
    "form",
    {
      id,
      class: "decide",
      onsubmit: async (event) => {
        event.preventDefault();
        button.disabled = true;
        try {
          await run(text ? text.value.trim() : undefined);
          ctx.ok(`${label}: done.`);
          done();
        } catch (error) {
          ctx.fail(error);
          button.disabled = false;
        }
      },
    },
    fields,
    text ? field(textLabel, text) : null,
    button,
  );
}

function categorySelect(ctx, selected) {
  return h(
    "select",
    { name: "category" },
    h("option", { value: "" }, "— choose —"),
    ctx.words.categories.map((c) => h("option", { value: c.code, selected: c.code === selected }, `${c.code} (${c.requirement})`)),
  );
}

/** The refuted rumours a label may attach (MB-11), filled in when they arrive. */
function rumourSelect(ctx, wanted) {
  const select = h("select", { name: "rumour" }, h("option", { value: "" }, "— choose —"));
  if (wanted) {
    api
      .rumours()
      .then((page) => page.items.forEach((r) => select.append(h("option", { value: r.id }, `${r.canonical_text} · ${r.authority}`))))
      .catch(ctx.fail);
  }
  return select;
}

function decideForms(ctx, it, done) {
  if (it.kind === "held_post") {
    const category = categorySelect(ctx, it.category);
    category.required = true;
    const approveReason = reasonBox();
    const stopReason = reasonBox();
    return [
      h("h3", {}, "Decide"),
      form(ctx, "approve-form", "Approve: publish", "good", approveReason, (reason) => api.decideItem(it.id, { outcome: "approve", reason }), done),
      form(ctx, "stop-form", "Stop transmission", "danger", stopReason, (reason) => api.decideItem(it.id, { outcome: "stop_transmission", reason, category: category.value }), done, field("Category (BJ-10)", category)),
    ];
  }
  // Stops and labels are for content; an account is sanctioned on identity's side.
  const actionsOffered = it.target_type === "post" ? CASE_ACTIONS : CASE_ACTIONS.filter((a) => a !== "stop" && a !== "label");
  const action = h("select", { name: "action", required: true }, actionsOffered.map((a) => h("option", { value: a }, a)));
  const category = categorySelect(ctx, it.category);
  const rumour = rumourSelect(ctx, it.target_type === "post");
  return [
    h("h3", {}, "Decide the case (MB-14)"),
    h("p", { class: "muted" }, "Every complainant is told the outcome; an upheld case costs the author credit once (PA-6.2). An account is sanctioned on identity's side."),
    form(
      ctx,
      "uphold-form",
      "Uphold",
      "danger",
      reasonBox(),
      (reason) =>
        api.decideItem(it.id, {
          upheld: true,
          action: action.value,
          reason,
          category: action.value === "stop" ? category.value : undefined,
          rumour: action.value === "label" ? rumour.value : undefined,
        }),
      done,
      field("Action", action),
      field("Category of a stop (BJ-10)", category),
      it.target_type === "post" ? field("Rumour of a label (MB-11)", rumour) : null,
    ),
    form(ctx, "dismiss-form", "Dismiss", "good", reasonBox(), (reason) => api.decideItem(it.id, { upheld: false, action: "none", reason }), done),
  ];
}

// --- the complaint dashboard (MB-14, PA-15.2) --------------------------------------------------------------

export async function complaints(ctx) {
  const overdue = h("input", { type: "checkbox", id: "case-overdue" });
  const coordinated = h("input", { type: "checkbox", id: "case-coordinated" });
  const stats = h("div", { id: "complaint-statistics" });
  const list = pagedTable(
    "cases",
    // The service lists the nearest deadline first.
    (cursor) => api.cases({ state: "open", overdue: overdue.checked || undefined, coordinated: coordinated.checked || undefined, cursor }),
    () => [
          { label: "Deadline", cell: (c) => deadline(c.deadline) },
          { label: "Category", cell: (c) => c.category },
          { label: "Target", cell: (c) => [c.target_type, " ", h("code", {}, c.target_id)] },
          { label: "Complaints", cell: (c) => `${c.complaint_count} (weight ${c.weight.toFixed(1)})` },
          { label: "Priority", cell: (c) => String(c.priority) },
          { label: "Marks", cell: (c) => listedMarks(c) },
          { label: "", cell: (c) => h("a", { class: "btn", href: `#/complaints/${encodeURIComponent(c.id)}`, dataset: { case: c.id, target: c.target_id } }, "Open") },
    ],
    () => "No open complaint case.",
    ctx.fail,
  );
  for (const control of [overdue, coordinated]) control.addEventListener("change", () => list.reload().catch(ctx.fail));
  await Promise.all([list.reload(), api.complaintStatistics().then((s) => show(stats, complaintStatistics(s)))]);
  return [
    h("h1", {}, "Complaints"),
    h("p", { class: "muted" }, "Open complaint cases, the nearest deadline first (MB-14). Complaints alone take nothing down: a reviewer decides the case's review item."),
    h("div", { class: "inline" }, checkField("Overdue only", overdue), checkField("Coordinated only", coordinated)),
    list.body,
    list.more,
    h("h2", { class: "spaced" }, "Handling statistics (PA-15.2)"),
    stats,
  ];
}

function complaintStatistics(s) {
  return [
    h("p", { class: "muted" }, `Cases opened ${when(s.from)} – ${when(s.to)}, by leading category.`),
    table(
      [
        { label: "Category", cell: (c) => c.category },
        { label: "Cases", cell: (c) => String(c.cases) },
        { label: "Complaints", cell: (c) => String(c.complaints) },
        { label: "Handled", cell: (c) => String(c.handled) },
        { label: "Median handling", cell: (c) => duration(c.median_handling_s) },
        { label: "p90 handling", cell: (c) => duration(c.p90_handling_s) },
        { label: "Breaches", cell: (c) => (c.breaches ? h("span", { class: "overdue" }, String(c.breaches)) : "0") },
        { label: "Upheld", cell: (c) => percent(c.upheld_rate) },
        { label: "Dismissed", cell: (c) => percent(c.dismissed_rate) },
      ],
      s.categories,
      { empty: "No case opened in the period." },
    ),
  ];
}

/** The review item of a complaint case: its kind's items not closed are read until it is found. */
async function caseItem(caseId) {
  const page = await api.reviewItems({ case_id: caseId });
  return page.items[0] || null;
}

export async function caseView(ctx, caseId) {
  const [c, reviewItem] = await Promise.all([api.caseDetail(caseId), caseItem(caseId)]);
  return [
    h("p", {}, h("a", { href: "#/complaints" }, "← Complaints")),
    h("h1", {}, `Complaint case · ${c.category}`),
    h(
      "section",
      { class: "card", id: "case-facts" },
      h("dl", { class: "facts" },
        h("dt", {}, "State"), h("dd", {}, stateChip(c.state), c.upheld === null || c.upheld === undefined ? null : [" ", c.upheld ? chip("upheld", "good") : chip("dismissed")]),
        h("dt", {}, "Deadline"), h("dd", {}, deadline(c.deadline), listedMarks(c)),
        h("dt", {}, "Target"), h("dd", {}, `${c.target_type} `, h("code", {}, c.target_id), c.author_id ? [" by ", h("code", {}, c.author_id)] : null),
        h("dt", {}, "Categories"), h("dd", {}, c.categories.join(", ")),
        h("dt", {}, "Complaints"), h("dd", {}, `${c.complaint_count} (weight ${c.weight.toFixed(1)})`),
        h("dt", {}, "Opened"), h("dd", {}, when(c.opened_at)),
        c.decided_at ? [h("dt", {}, "Decided"), h("dd", {}, `${when(c.decided_at)} by ${c.decided_by}: ${c.action || ""} — ${c.note || ""}`)] : null,
        h("dt", {}, "Review item"),
        h("dd", {}, reviewItem ? h("a", { class: "btn", id: "case-item", href: `#/items/${encodeURIComponent(reviewItem.id)}` }, `Open the review item (${reviewItem.state})`) : "none open"),
      ),
    ),
    h("section", { class: "card" }, h("h2", {}, "Complaints"), complaintsTable(c.complaints)),
  ];
}

// --- appeals (PA-6.2) --------------------------------------------------------------------------------------

export async function appeals(ctx) {
  const state = h("select", { id: "appeal-state" }, ["open", "decided"].map((s) => h("option", { value: s }, s)));
  const standings = new Map(); // account id -> its standing (what it is sanctioned with), or null
  const list = pagedTable(
    "appeals",
    async (cursor) => {
      const page = await api.appeals(state.value, cursor);
      await contested(page.items, standings);
      return page;
    },
    () => [
          { label: "Filed", cell: (a) => when(a.filed_at) },
          { label: "Account", cell: (a) => h("code", {}, a.account_id) },
          {
            label: "Contests",
            cell: (a) => [
              chip(a.target_kind),
              " ",
              h("code", {}, a.target_id),
              contestedView(a, standings.get(a.account_id)),
              h("br"),
              h("small", { class: "muted" }, `imposed ${when(a.imposed_at)} by ${a.imposed_by || "the system"}`),
            ],
          },
          { label: "Statement", cell: (a) => a.statement },
          {
            label: state.value === "open" ? "Decide" : "Decision",
            cell: (a) => (a.state === "open" ? decideAppeal(ctx, a, () => list.reload()) : [chip(a.state, a.state === "upheld" ? "good" : ""), h("br"), `${a.decided_by}: ${a.decision_reason}`]),
          },
    ],
    () => (state.value === "open" ? "No open appeal." : "No decided appeal."),
    ctx.fail,
  );
  state.addEventListener("change", () => list.reload().catch(ctx.fail));
  await list.reload();
  return [
    h("h1", {}, "Appeals"),
    h("p", { class: "muted" }, "Decided by a senior reviewer or the chief editor, never by whoever imposed what is contested (PA-6.2). Upheld: the sanction is lifted or the penalty reversed."),
    h("div", { class: "inline" }, field("State", state)),
    list.body,
    list.more,
  ];
}

/** The standing of each appellant not read yet: what they are sanctioned with, and their credit ledger. */
async function contested(appeals, standings) {
  const accounts = [...new Set(appeals.map((a) => a.account_id))].filter((id) => !standings.has(id));
  const read = await Promise.allSettled(accounts.map((id) => api.standing(id)));
  accounts.forEach((id, i) => standings.set(id, read[i].status === "fulfilled" ? read[i].value : null));
}

/** What an appeal contests, when the account's standing still shows it (a sanction in force, a ledger entry). */
function contestedView(appeal, standing) {
  if (!standing) return null;
  if (appeal.target_kind === "sanction") {
    const s = standing.sanctions.find((x) => x.id === appeal.target_id);
    if (!s) return null;
    const features = s.features.length ? ` (${s.features.join(", ")})` : "";
    return [h("br"), h("strong", {}, `${s.kind}${features}`), `: ${s.reason}`, s.ends_at ? ` · until ${when(s.ends_at)}` : ""];
  }
  const entry = standing.ledger.find((e) => String(e.id) === appeal.target_id);
  return entry ? [h("br"), h("strong", {}, entry.delta > 0 ? `+${entry.delta}` : String(entry.delta)), ` credit: ${entry.cause}`] : null;
}

function decideAppeal(ctx, appeal, reload) {
  return yesOrNo(ctx, {
    dataset: { appeal: appeal.id },
    input: h("input", { name: "reason", required: true, minlength: 3, maxlength: 2000, placeholder: "Reason (required)" }),
    minLength: 3,
    missing: "A reason is required with the decision (PA-6.2).",
    yes: "Uphold",
    no: "Dismiss",
    run: async (upheld, reason) => {
      await api.decideAppeal(appeal.id, upheld, reason);
      return upheld ? "Appeal upheld." : "Appeal dismissed.";
    },
    reload,
  });
}
