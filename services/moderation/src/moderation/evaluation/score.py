"""A lexicon's measured recall and false positives (issue 16; MB-12, MB-6.1: the chief editor sees them before
approving a lexicon change). Pure: the adversarial set (`variants`) and the clean corpus (`corpus`) through
`Lexicon.scan`; the figures as one JSON-ready dict.

- recall per technique: a variant is caught when a hit of a stop or review entry overlaps its span;
- false-positive rate: the share of clean sentences with any hit of a stop or review entry, per source and
  per channel (a sentence counts once per channel that hit it);
- goals shown next to the figures: recall >= RECALL_GOAL for every technique, false positives <= FP_GOAL."""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from moderation.engine.decide import ENGINE_VERSION
from moderation.engine.lexicon import Entry, Lexicon
from moderation.evaluation import corpus as clean_corpus
from moderation.evaluation.variants import EVALUATED_ACTIONS, SEED, TECHNIQUES, Variant, generate

RECALL_GOAL = 0.98
FP_GOAL = 0.005
MISS_SAMPLE = 40  # misses listed, spread over the techniques
FP_SAMPLE = 20


def _flagging(lexicon: Lexicon, text: str):
    return [h for h in lexicon.scan(text) if h.entry.action.value in EVALUATED_ACTIONS]


def recall(lexicon: Lexicon, variants: Sequence[Variant]) -> dict:
    by_technique: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_action: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    by_channel: Counter[str] = Counter()
    misses: dict[str, list[dict]] = defaultdict(list)
    for v in variants:
        hits = [h for h in _flagging(lexicon, v.text) if h.start < v.end and v.start < h.end]
        tallies = (by_technique[v.technique], by_action[v.action], by_pair[(v.action, v.technique)])
        for tally in tallies:
            tally[0] += 1
            tally[1] += bool(hits)
        if hits:
            by_channel[hits[0].channel.value] += 1
        else:
            misses[v.technique].append({"technique": v.technique, "term": v.term, "written": v.written, "text": v.text})
    order = [t for t in TECHNIQUES if t in by_technique]
    per = {
        t: {"variants": by_technique[t][0], "caught": by_technique[t][1], "recall": _ratio(*reversed(by_technique[t]))}
        for t in order
    }
    # A sample of the misses, round-robin over the techniques, so that every technique that misses shows.
    sample: list[dict] = []
    queues = [list(misses[t]) for t in order if misses[t]]
    while queues and len(sample) < MISS_SAMPLE:
        for q in queues:
            if q and len(sample) < MISS_SAMPLE:
                sample.append(q.pop(0))
        queues = [q for q in queues if q]
    caught = sum(c for _, c in by_technique.values())
    return {
        "variants": len(variants),
        "caught": caught,
        "recall": _ratio(caught, len(variants)),
        "recall_min": min((p["recall"] for p in per.values()), default=None),
        "recall_goal": RECALL_GOAL,
        "techniques_below_goal": [t for t, p in per.items() if p["recall"] < RECALL_GOAL],
        "by_technique": per,
        "by_action": {
            a: {"variants": n, "caught": c, "recall": _ratio(c, n)} for a, (n, c) in sorted(by_action.items())
        },
        # Recall per technique for each action: stop entries and review entries are matched differently (the
        # engine leaves review entries of political categories to exact forms, pinyin and initials).
        "by_action_technique": {
            a: {t: _ratio(by_pair[(a, t)][1], by_pair[(a, t)][0]) for t in order if (a, t) in by_pair}
            for a in sorted(by_action)
        },
        "caught_by_channel": dict(sorted(by_channel.items())),
        "misses": sum(len(m) for m in misses.values()),
        "miss_sample": sample,
    }


def false_positives(lexicon: Lexicon, corpus: Mapping[str, Iterable[str]]) -> dict:
    per_source = {}
    by_channel: Counter[str] = Counter()
    by_entry: Counter[str] = Counter()
    sample: list[dict] = []
    total = flagged_total = 0
    for source, texts in corpus.items():
        count = flagged = 0
        for text in texts:
            count += 1
            hits = _flagging(lexicon, text)
            if not hits:
                continue
            flagged += 1
            by_channel.update({h.channel.value for h in hits})
            by_entry.update({h.entry.term for h in hits})
            if len(sample) < FP_SAMPLE:
                h = hits[0]
                sample.append(
                    {
                        "source": source,
                        "term": h.entry.term,
                        "channel": h.channel.value,
                        "matched": text[h.start : h.end],
                        "text": text,
                    }
                )
        per_source[source] = {"sentences": count, "flagged": flagged, "rate": _ratio(flagged, count)}
        total += count
        flagged_total += flagged
    return {
        "sentences": total,
        "flagged": flagged_total,
        "false_positive_rate": _ratio(flagged_total, total),
        "false_positive_goal": FP_GOAL,
        "by_source": per_source,
        "flagged_by_channel": {c: {"sentences": n, "rate": _ratio(n, total)} for c, n in sorted(by_channel.items())},
        "flagged_by_term": dict(by_entry.most_common(20)),
        "sample": sample,
    }


def evaluate(
    lexicon: Lexicon,
    corpus: Mapping[str, Sequence[str]],
    variants: Sequence[Variant] | None = None,
    *,
    entries: Sequence[Entry] | None = None,
) -> dict:
    """The figures of one lexicon: its adversarial set (given, or generated from ``entries``, by default all the
    lexicon's) and the corpus."""
    started = time.perf_counter()
    variants = generate(lexicon.entries if entries is None else entries) if variants is None else variants
    generated = time.perf_counter()
    r = recall(lexicon, variants)
    scanned_variants = time.perf_counter()
    fp = false_positives(lexicon, corpus)
    done = time.perf_counter()
    return {
        "lexicon_version": lexicon.version,
        "engine_version": ENGINE_VERSION,
        "entries": len(lexicon.entries),
        "entries_evaluated": sum(1 for e in lexicon.entries if e.action.value in EVALUATED_ACTIONS),
        "variants": len(variants),
        "sentences": fp["sentences"],
        "recall_min": r["recall_min"],
        "recall_goal": RECALL_GOAL,
        "false_positive_rate": fp["false_positive_rate"],
        "false_positive_goal": FP_GOAL,
        "meets_goals": (r["recall_min"] or 0) >= RECALL_GOAL and fp["false_positive_rate"] <= FP_GOAL,
        "recall": r,
        "false_positives": fp,
        "seconds": {
            "generate": round(generated - started, 2),
            "variants": round(scanned_variants - generated, 2),
            "corpus": round(done - scanned_variants, 2),
            "total": round(done - started, 2),
        },
    }


def sample_entries(entries: Sequence[Entry], max_entries: int | None, seed: int = SEED) -> list[Entry]:
    """The stop and review entries the adversarial set is generated for: all of them, or a seeded sample of
    ``max_entries`` (a lexicon of 100,000 entries would be millions of variants)."""
    evaluated = [e for e in entries if e.action.value in EVALUATED_ACTIONS]
    if max_entries is None or len(evaluated) <= max_entries:
        return evaluated
    return random.Random(seed).sample(evaluated, max_entries)


def evaluate_rows(
    rows: Iterable[tuple],
    *,
    release: str | None = None,
    corpus_limit: int | None = None,
    max_entries: int | None = None,
) -> dict:
    """The figures of a lexicon given as (id, term, category, action, legal basis) rows, on the clean corpus
    (at most ``corpus_limit`` sentences per source); variants of at most ``max_entries`` entries (a seeded
    sample). CPU-bound: run it off an event loop."""
    started = time.perf_counter()
    lexicon = Lexicon.from_rows(rows, release=release)
    corpus = clean_corpus.load(corpus_limit)
    loaded = time.perf_counter()
    sampled = sample_entries(lexicon.entries, max_entries)
    figures = evaluate(lexicon, corpus, entries=sampled)
    figures["entries_sampled"] = len(sampled)
    figures["corpus_limit"] = corpus_limit
    figures["seconds"]["build_and_load"] = round(loaded - started, 2)
    figures["seconds"]["total"] = round(time.perf_counter() - started, 2)
    return figures


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 5) if whole else 1.0
