// The matched spans of a moderation verdict, highlighted in the text they were found in. The engine gives
// `start`/`end` as offsets in Unicode code points (Python's str indices); JavaScript strings are UTF-16, so
// an emoji or a rare CJK character before a match would shift every offset by one: the text is split into
// code points with Array.from first (MB-12: the reviewer sees exactly what matched, where).

/**
 * segments("😀内部消息称…", [{start: 1, end: 6, term, category}]) ->
 *   [{text: "😀", match: null}, {text: "内部消息称", match: {...}}, {text: "…", match: null}]
 * Overlapping matches are merged into the first; offsets outside the text are clipped.
 */
export function segments(text, matches = []) {
  const points = Array.from(text ?? "");
  const spans = matches
    .filter((m) => Number.isInteger(m.start) && Number.isInteger(m.end) && m.end > m.start)
    .map((m) => ({ ...m, start: Math.max(0, m.start), end: Math.min(points.length, m.end) }))
    .filter((m) => m.end > m.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const out = [];
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue; // inside the previous highlight
    if (span.start > at) out.push({ text: points.slice(at, span.start).join(""), match: null });
    out.push({ text: points.slice(span.start, span.end).join(""), match: span });
    at = span.end;
  }
  if (at < points.length) out.push({ text: points.slice(at).join(""), match: null });
  return out;
}

/** The text as nodes: plain text, and <mark> for each match (its term, category and channel as a title). */
export function highlighted(text, matches) {
  return segments(text, matches).map((part) => {
    if (!part.match) return document.createTextNode(part.text);
    const mark = document.createElement("mark");
    mark.textContent = part.text;
    const m = part.match;
    mark.title = [m.term, m.category, m.channel].filter(Boolean).join(" · ");
    mark.dataset.category = m.category || "";
    return mark;
  });
}
