// Every call the console makes, in one place: the services' public and staff APIs through the gateway, on
// the same origin (no CORS), with the staff token from POST /v1/identity/staff/tokens kept in sessionStorage
// and sent as a bearer token. Paths and fields of the issue-14 APIs follow docs/design/14-staff-console.md;
// the integrator adjusts them here, and only here.

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

  // --- issue 14, slice Q: review items (held posts and complaint cases), takedown, restore ----------------
  reviewItems: (filters = {}) => call("GET", "/v1/moderation/review-items", { query: filters }),
  reviewItem: (itemId) => call("GET", `/v1/moderation/review-items/${id(itemId)}`),
  claimItem: (itemId) => call("POST", `/v1/moderation/review-items/${id(itemId)}/claim`, { body: {} }),
  releaseItem: (itemId) => call("POST", `/v1/moderation/review-items/${id(itemId)}/release`, { body: {} }),
  escalateItem: (itemId, reason) => call("POST", `/v1/moderation/review-items/${id(itemId)}/escalation`, { body: { reason } }),
  noteItem: (itemId, text) => call("POST", `/v1/moderation/review-items/${id(itemId)}/notes`, { body: { text } }),
  decideItem: (itemId, body) => call("POST", `/v1/moderation/review-items/${id(itemId)}/decision`, { body }),
  reviewStatistics: () => call("GET", "/v1/moderation/review-statistics"),
  takedown: (postId, body) => call("POST", `/v1/moderation/posts/${id(postId)}/takedown`, { body }),
  restore: (postId, body) => call("POST", `/v1/moderation/posts/${id(postId)}/restoration`, { body }),

  // --- issue 14, slice R: complaint cases (MB-14) ---------------------------------------------------------
  cases: (filters = {}) => call("GET", "/v1/reporting/staff/cases", { query: filters }),
  caseDetail: (caseId) => call("GET", `/v1/reporting/staff/cases/${id(caseId)}`),
  complaintStatistics: () => call("GET", "/v1/reporting/staff/statistics"),

  // --- issue 14, slice I: sanctions and appeals (PA-6.2) --------------------------------------------------
  appeals: (filters = {}) => call("GET", "/v1/identity/staff/appeals", { query: filters }),
  decideAppeal: (appealId, body) => call("POST", `/v1/identity/staff/appeals/${id(appealId)}/decision`, { body }),
  sanction: (accountId, body) => call("POST", `/v1/identity/staff/accounts/${id(accountId)}/sanctions`, { body }),
};
