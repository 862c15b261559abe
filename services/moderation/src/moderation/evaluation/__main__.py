"""`make eval`: the measured recall and false positives of the lexicon in force, as one JSON object (issue 16,
MB-12). By default the shipped sample lexicon; with ``--database-url``, the live entries of a moderation
database (its newest release). ``--corpus-limit N``: at most N clean sentences per source."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from moderation.engine.lexicon import read_tsv
from moderation.evaluation.score import evaluate_rows
from moderation.settings import SAMPLE_LEXICON


async def _from_database(url: str) -> tuple[list[tuple], str]:
    import asyncpg

    from moderation.policy.store import PolicyStore

    conn = await asyncpg.connect(url)
    try:
        store = PolicyStore(conn)
        return await store.live_entries(), (await store.versions())["lexicon"]
    finally:
        await conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m moderation.evaluation", description=__doc__)
    parser.add_argument("--database-url", help="a moderation database (postgresql://...): evaluate its lexicon")
    parser.add_argument("--corpus-limit", type=int, default=None, help="clean sentences per source (default: all)")
    args = parser.parse_args(argv)
    if args.database_url:
        rows, release = asyncio.run(_from_database(args.database_url))
        source = "database"
    else:
        rows = [(i, *r) for i, r in enumerate(read_tsv(SAMPLE_LEXICON), start=1)]
        release, source = None, str(SAMPLE_LEXICON.name)
    figures = {"lexicon_source": source, **evaluate_rows(rows, release=release, corpus_limit=args.corpus_limit)}
    json.dump(figures, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
