"""python -m chartcheck CHART [VALUES ...]: lint, render and validate a chart offline; non-zero on any failure."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chartcheck import crds, helm, kube

DEFAULT_KUBE_VERSIONS = "1.30-1.35"


@dataclass
class ValueSet:
    name: str
    files: list[Path]
    values: dict[str, Any] = field(default_factory=dict)
    objects: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    schema_of: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    report: list[str] = field(default_factory=list)


def _group(doc: dict[str, Any]) -> str:
    api_version = str(doc["apiVersion"])
    return api_version.split("/")[0] if "/" in api_version else ""


def _versions(spec: str) -> list[str]:
    known = kube.available_versions()
    if "-" in spec:
        low, high = spec.split("-", 1)
        as_tuple = lambda v: tuple(int(x) for x in v.split("."))  # noqa: E731
        chosen = [v for v in known if as_tuple(low) <= as_tuple(v) <= as_tuple(high)]
    else:
        chosen = [v.strip() for v in spec.split(",") if v.strip()]
    missing = [v for v in chosen if v not in known]
    if not chosen or missing:
        raise SystemExit(f"chartcheck: Kubernetes versions {spec!r}: kubernetes-validate ships {', '.join(known)}")
    return chosen


def _value_sets(chart: Path, files: list[Path]) -> list[ValueSet]:
    if files:
        return [ValueSet(str(f), [f]) for f in files]
    # chart-testing's convention: the ci/*-values.yaml value sets when the chart has some (a chart whose
    # defaults cannot install, e.g. for want of the names of existing Secrets, keeps working ones there),
    # else the chart's own values.yaml
    sets = [ValueSet(str(f.relative_to(chart)), [f]) for f in sorted((chart / "ci").glob("*-values.yaml"))]
    return sets or [ValueSet("default (values.yaml)", [])]


def _span(versions: list[str]) -> str:
    return versions[0] if len(versions) == 1 else f"{versions[0]}–{versions[-1]}"


def _identity(doc: dict[str, Any]) -> str:
    meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    return f"{doc.get('kind', '?')}/{meta.get('name', '?')}"


def check(args: argparse.Namespace) -> int:
    started = time.monotonic()
    chart = Path(args.chart).resolve()
    failures: list[str] = []

    def fail(report: list[str], where: str, message: str) -> None:
        failures.append(f"{where}: {message}")
        report.append(f"  FAIL {where}: {message}")

    if not (chart / "Chart.yaml").is_file():
        print(f"chartcheck: {args.chart} is not a chart directory (no Chart.yaml)", file=sys.stderr)
        return 2
    versions = _versions(args.kube_versions)
    render_version = versions[0]
    crd_groups, api_versions = crds.capabilities()
    sets = _value_sets(chart, [Path(f) for f in args.values])
    head: list[str] = [
        f"chartcheck {args.chart}: {helm.describe()}; Kubernetes {_span(versions)} ({kube.describe()});",
        f"  custom resources of {', '.join(crd_groups)} against their upstream CRD schemas (crd/validate.mjs)",
    ]
    if not (chart / "values.schema.json").is_file():
        fail(head, "values.schema.json", "the chart carries no values.schema.json")
    print("\n".join(head))

    # (a) helm lint and (b) helm template, per value set
    for vs in sets:
        vs.report.append(f"\n== value set {vs.name}")
        try:
            vs.values = helm.load_values(vs.files)
        except (OSError, ValueError) as e:
            fail(vs.report, vs.name, str(e))
            continue
        lint_name = "helm lint --strict" if args.strict else "helm lint"
        findings = helm.lint(chart, vs.values, strict=args.strict, kube_version=render_version)
        bad = [f for f in findings if f.severity in ({"ERROR", "WARNING"} if args.strict else {"ERROR"})]
        for f in findings:
            if f in bad:
                fail(vs.report, f"{vs.name}: {lint_name}", f"[{f.severity}] {f.path}: {f.message}")
            elif args.verbose:
                vs.report.append(f"  lint [{f.severity}] {f.path}: {f.message}")
        vs.report.append(f"  {lint_name}: {len(bad)} failing of {len(findings)} findings")
        try:
            rendered = helm.render(chart, vs.values, kube_version=render_version, api_versions=api_versions)
            docs = helm.manifests(rendered)
        except Exception as e:  # noqa: BLE001 - the SDK's errors carry Helm's own message; report them all alike
            fail(vs.report, f"{vs.name}: helm template", str(e).strip())
            continue
        if args.render_to:
            out = Path(args.render_to)
            out.mkdir(parents=True, exist_ok=True)
            target = out / (Path(vs.name.split(" ")[0]).stem + ".yaml")
            target.write_text("".join(f"---\n# Source: {s}\n{rendered[s].strip()}\n" for s in sorted(rendered)))
        seen: set[tuple[str, str, str, str]] = set()
        for source, doc in docs:
            if not isinstance(doc, dict) or not doc.get("apiVersion") or not doc.get("kind"):
                fail(
                    vs.report,
                    f"{vs.name}: {source}",
                    "a rendered document is not a Kubernetes object (apiVersion/kind)",
                )
                continue
            meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
            group = str(doc["apiVersion"]).split("/")[0]
            key = (group, str(doc["kind"]), str(meta.get("namespace", "")), str(meta.get("name", "")))
            if key in seen:
                fail(vs.report, f"{vs.name}: {source}", f"{_identity(doc)} is rendered twice")
            seen.add(key)
            vs.objects.append((source, doc))

    # (c) validation: the custom resources of every value set in one run of Node.js, then the built-in kinds
    custom = [
        (vs, source, doc) for vs in sets for source, doc in vs.objects if _group(doc) in crd_groups
    ]  # fmt: skip
    results = crds.validate([doc for _, _, doc in custom])
    for (vs, source, doc), result in zip(custom, results, strict=True):
        if result["schema"]:
            vs.schema_of[str(doc["kind"])].add(result["schema"])
        if not result["ok"]:
            fail(vs.report, f"{vs.name}: {source}: {_identity(doc)}", result["error"])
    total = 0
    for vs in sets:
        for source, doc in vs.objects:
            if _group(doc) in crd_groups:
                continue
            errors: dict[str, list[str]] = defaultdict(list)
            for v in versions:
                error = kube.validate(doc, v)
                if error:
                    errors[error].append(v)
            for error, in_versions in errors.items():
                fail(vs.report, f"{vs.name}: {source}: {_identity(doc)}", f"Kubernetes {_span(in_versions)}: {error}")
            if not errors:
                vs.schema_of[str(doc["kind"])].add(f"Kubernetes {_span(versions)} {doc['apiVersion']}")
        # (d) summary
        counts = Counter(str(d["kind"]) for _, d in vs.objects)
        total += len(vs.objects)
        vs.report.append(f"  {len(vs.objects)} objects:")
        for kind in sorted(counts):
            schemas = "; ".join(sorted(vs.schema_of[kind])) or "NOT VALIDATED"
            vs.report.append(f"    {kind:<28} {counts[kind]:>3}  {schemas}")
        print("\n".join(vs.report))

    elapsed = time.monotonic() - started
    if failures:
        print(f"\nchartcheck: FAILED: {len(failures)} failures over {len(sets)} value sets ({elapsed:.1f} s)")
        return 1
    print(f"\nchartcheck: OK: {len(sets)} value sets, {total} objects, lint + render + schemas ({elapsed:.1f} s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chartcheck", description=__doc__)
    parser.add_argument("chart", help="the chart directory")
    parser.add_argument(
        "values",
        nargs="*",
        help="values files, each one value set over the chart's values.yaml "
        "(default: every <chart>/ci/*-values.yaml, or the chart's values.yaml alone if it has none)",
    )
    parser.add_argument(
        "--kube-versions",
        default=DEFAULT_KUBE_VERSIONS,
        help=f"Kubernetes versions to validate against: a range or a list (default {DEFAULT_KUBE_VERSIONS}); "
        "the chart is rendered for the oldest",
    )
    parser.add_argument("--no-strict", dest="strict", action="store_false", help="helm lint without --strict")
    parser.add_argument("--render-to", metavar="DIR", help="also write each value set's rendering to DIR/<set>.yaml")
    parser.add_argument("-v", "--verbose", action="store_true", help="print lint findings of every severity")
    args = parser.parse_args(argv)
    try:
        return check(args)
    except crds.NodeMissing as e:
        print(f"chartcheck: {e}", file=sys.stderr)
        return 2
