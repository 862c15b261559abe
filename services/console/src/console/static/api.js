// Every call the console makes, in one place: the services' public and staff APIs through the gateway, on
// the same origin (no CORS), with the staff token from POST /v1/identity/staff/tokens kept in sessionStorage
// and sent as a bearer token. No page calls fetch itself.

const TOKEN_KEY = "qinglang.console.token";

/** An answer that is not 2xx: its RFC 9457 problem (title, detail, requirement, status). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  keep: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  forget: () => sessionStorage.removeItem(TOKEN_KEY),
  /** The token's claims (read, not verified: every service verifies the token itself). */
  claims() {
    const token = this.token();
    if (!token) return null;
    try {
      const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const bytes = Uint8Array.from(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return null;
    }
  },
};

async function call(method, path, { body, query, auth = true } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(key, value);
  }
  const headers = { accept: "application/json, application/problem+json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  const token = session.token();
  if (auth && token) headers.authorization = `Bearer ${token}`;
  const answer = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit", // a bearer token, never a cookie
    cache: "no-store",
  });
  const text = await answer.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { title: text.slice(0, 200) };
  }
  if (!answer.ok) {
    if (answer.status === 401 && auth) session.forget();
    throw new ApiError(answer.status, data);
  }
  return data;
}

const id = encodeURIComponent;

export const api = {
  vocabulary: () => call("GET", "/console/vocabulary.json", { auth: false }),

  // identity
  signIn: (username, password) => call("POST", "/v1/identity/staff/tokens", { body: { username, password }, auth: false }),
  standing: (accountId) => call("GET", `/v1/identity/staff/accounts/${id(accountId)}/standing`),

  // moderation: the review queue of held posts (MB-6.1) and a post's decisions
  reviews: (cursor) => call("GET", "/v1/moderation/reviews", { query: { cursor } }),
  decideReview: (decisionId, { outcome, reason, category }) =>
    call("POST", `/v1/moderation/reviews/${id(decisionId)}`, { body: { outcome, reason, category: category || undefined } }),
  decisions: (postId) => call("GET", `/v1/moderation/posts/${id(postId)}/decisions`),

  // moderation: policy changes; the chief editor decides (MB-6.1)
  policyChanges: (status, cursor) => call("GET", "/v1/moderation/policy-changes", { query: { status, cursor } }),
  decidePolicyChange: (changeId, approve, note) =>
    call("POST", `/v1/moderation/policy-changes/${id(changeId)}/decision`, { body: { approve, note } }),

  // every service's record of staff actions (auditor, chief editor)
  staffActions: (service, actor) => call("GET", `/v1/${id(service)}/staff-actions`, { query: { actor } }),

  // moderation: the review items of both kinds, held posts and complaint cases (MB-6.1, MB-14, PA-5.1).
  // filters: state (open | assigned | escalated | closed; none: every item not closed), kind (held_post |
  // complaint_case), assignee ("me" or a staff id), category, min_priority, case_id (a complaint case's item, in
  // any state), cursor, limit.
  reviewItems: (filters = {}) => call("GET", "/v1/moderation/review-items", { query: filters }),
  reviewItem: (itemId) => call("GET", `/v1/moderation/review-items/${id(itemId)}`),
  claimItem: (itemId) => call("POST", `/v1/moderation/review-items/${id(itemId)}/claim`),
  releaseItem: (itemId) => call("POST", `/v1/moderation/review-items/${id(itemId)}/release`),
  escalateItem: (itemId, reason) => call("POST", `/v1/moderation/review-items/${id(itemId)}/escalation`, { body: { reason } }),
  noteItem: (itemId, text) => call("POST", `/v1/moderation/review-items/${id(itemId)}/notes`, { body: { text } }),
  /** A held post: {outcome: approve | stop_transmission, reason, category (a stop's)}. A complaint case:
   * {upheld, action: stop | label | sanction | none, reason, category (a stop's), rumour (a label's)}. */
  decideItem: (itemId, { outcome, upheld, action, reason, category, rumour }) =>
    call("POST", `/v1/moderation/review-items/${id(itemId)}/decision`, {
      body: { outcome, upheld, action, reason, category: category || undefined, rumour_id: rumour || undefined },
    }),
  /** Refuted rumours (MB-11): what a label attaches. The first page, newest registrations last. */
  rumours: () => call("GET", "/v1/moderation/rumours", { query: { limit: 200 } }),
  reviewStatistics: () => call("GET", "/v1/moderation/review-statistics"),

  // content: a post as the public sees it (the target of a complaint case; 451 once stopped)
  post: (postId) => call("GET", `/v1/posts/${id(postId)}`, { auth: false }),

  // reporting: complaint cases, the nearest deadline first, and their handling statistics (MB-14, PA-15.2).
  // filters: state (open | closed), category, coordinated, overdue, cursor, limit.
  cases: (filters = {}) => call("GET", "/v1/reporting/staff/cases", { query: filters }),
  caseDetail: (caseId) => call("GET", `/v1/reporting/staff/cases/${id(caseId)}`),
  complaintStatistics: () => call("GET", "/v1/reporting/staff/statistics"),

  // identity: appeals of sanctions and credit penalties (PA-6.2); state: open | decided
  appeals: (state, cursor) => call("GET", "/v1/identity/staff/appeals", { query: { state, cursor } }),
  decideAppeal: (appealId, upheld, reason) =>
    call("POST", `/v1/identity/staff/appeals/${id(appealId)}/decision`, { body: { upheld, reason } }),
};
