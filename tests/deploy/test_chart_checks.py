"""The offline chart check (deploy/k8s/check): it passes the real chart and catches what it must catch.

Every test runs the checker as CI does (deploy/k8s/check/chartcheck.sh: its own Python 3.12, Helm's Go SDK
in-process, the Kubernetes and CRD schemas offline), on the real chart and on copies of a small fixture chart
that each break one thing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "deploy" / "k8s" / "check" / "chartcheck.sh"
FIXTURE = ROOT / "deploy" / "k8s" / "check" / "tests" / "fixture-chart"
CHART = ROOT / "deploy" / "k8s" / "qinglang"


def run_check(chart: Path, *values: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECKER), str(chart), *map(str, values)], capture_output=True, text=True, timeout=240, check=False
    )


def assert_fails(out: subprocess.CompletedProcess[str], *expected: str) -> None:
    report = out.stdout + out.stderr
    assert out.returncode == 1, report
    assert "chartcheck: FAILED" in out.stdout, report
    for text in expected:
        assert text in report, report


@pytest.fixture
def broken(tmp_path: Path):
    """A copy of the fixture chart with one template added: returns (chart, its values.yaml)."""

    def make(template: str, name: str = "broken.yaml") -> tuple[Path, Path]:
        chart = tmp_path / "fixture"
        shutil.copytree(FIXTURE, chart)
        (chart / "templates" / name).write_text(template)
        return chart, chart / "values.yaml"

    return make


def test_the_real_chart_passes_for_every_value_set():
    if not (CHART / "Chart.yaml").is_file():
        pytest.skip("deploy/k8s/qinglang/ is not on this branch yet (the chart lands from its own branch)")
    value_sets = sorted((CHART / "ci").glob("*-values.yaml"))
    assert value_sets, "the chart has no ci/*-values.yaml value sets"
    out = run_check(CHART)
    assert out.returncode == 0, out.stdout + out.stderr
    for value_set in value_sets:
        assert f"== value set ci/{value_set.name}" in out.stdout
    assert "NOT VALIDATED" not in out.stdout


def test_the_fixture_chart_passes_with_every_kind_validated_against_a_schema():
    out = run_check(FIXTURE)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "chartcheck: OK: 2 value sets" in out.stdout
    assert "== value set ci/monitoring-values.yaml" in out.stdout
    assert "NOT VALIDATED" not in out.stdout
    for kind, schema in [
        ("Deployment", "Kubernetes 1.30–1.35 apps/v1"),
        ("Job", "Kubernetes 1.30–1.35 batch/v1"),
        ("KafkaTopic", "@kubernetes-models/strimzi-kafka-operator@"),
        ("KafkaUser", "@kubernetes-models/strimzi-kafka-operator@"),
        ("Database", "@kubernetes-models/cloudnative-pg@"),
        ("HTTPRoute", "@kubernetes-models/gateway-api@"),
        ("Middleware", "@kubernetes-models/traefik@"),
        ("ScaledObject", "@kubernetes-models/keda@"),
        ("ServiceMonitor", "@kubernetes-models/prometheus-operator@"),
    ]:
        assert any(line.split()[:1] == [kind] and schema in line for line in out.stdout.splitlines()), (
            kind,
            out.stdout,
        )


def test_a_wrong_field_type_in_a_kubernetes_object_fails(broken):
    chart, values = broken(
        "apiVersion: v1\nkind: Service\nmetadata: {name: wrong}\nspec:\n  ports:\n    - port: eighty\n"
    )
    assert_fails(run_check(chart, values), "Service/wrong", "spec/ports/0/port", "Kubernetes 1.30–1.35")


def test_an_unknown_field_in_a_kubernetes_object_fails(broken):
    chart, values = broken("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: typo}\ndatta: {a: b}\n")
    assert_fails(run_check(chart, values), "ConfigMap/typo", "datta")


def test_a_wrong_field_type_in_a_custom_resource_fails(broken):
    chart, values = broken(
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata: {name: t}\nspec: {partitions: three}\n"
    )
    assert_fails(run_check(chart, values), "KafkaTopic/t", "spec/partitions must be integer")


@pytest.mark.parametrize(
    ("template", "where"),
    [
        (
            "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata: {name: t}\nspec: {partitons: 3}\n",
            "spec/partitons",
        ),
        (
            "apiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata: {name: t}\n"
            "spec: {rateLimit: {average: 1, burstt: 2}}\n",
            "spec/rateLimit/burstt",
        ),
        (
            "apiVersion: postgresql.cnpg.io/v1\nkind: Database\nmetadata: {name: t, lables: {}}\n"
            "spec: {name: a, owner: a, cluster: {name: pg}}\n",
            "metadata/lables",
        ),
    ],
)
def test_an_unknown_field_in_a_custom_resource_fails(broken, template, where):
    chart, values = broken(template)
    assert_fails(run_check(chart, values), "/t", "unknown field or wrong shape (strict)", where)


@pytest.mark.parametrize(
    ("api_version", "kind", "reason"),
    [
        ("frobnicate.example.com/v1", "Frobnicator", "Kubernetes 1.30–1.35: no kind Frobnicator in frobnicate"),
        ("v1", "Podd", "Kubernetes 1.30–1.35: no kind Podd in v1"),
        ("keda.sh/v1alpha1", "ScaledThing", "has no ScaledThing in keda.sh/v1alpha1"),
    ],
)
def test_an_unknown_kind_fails(broken, api_version, kind, reason):
    chart, values = broken(f"apiVersion: {api_version}\nkind: {kind}\nmetadata: {{name: x}}\n")
    assert_fails(run_check(chart, values), f"{kind}/x", reason)


def test_a_template_error_fails_lint_and_render(broken):
    chart, values = broken(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.image.repository | nope }}\n"
    )
    assert_fails(run_check(chart, values), "helm lint --strict", "[ERROR]", "helm template")


def test_values_against_the_values_schema_fail(tmp_path):
    values = tmp_path / "bad-values.yaml"
    values.write_text("replicas: two\n")
    assert_fails(run_check(FIXTURE, values), "replicas", "helm template")


def test_an_object_rendered_twice_fails(broken):
    chart, values = broken("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: twice}\n---\n" * 2)
    assert_fails(run_check(chart, values), "ConfigMap/twice is rendered twice")


def test_a_document_that_is_not_an_object_fails(broken):
    chart, values = broken("just: a mapping\n")
    assert_fails(run_check(chart, values), "not a Kubernetes object")
