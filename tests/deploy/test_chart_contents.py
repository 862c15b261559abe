"""What the Helm chart (deploy/k8s/qinglang) renders, for every CI value set, checked against the code: every
service runs as api and worker Deployments; each KafkaUser may do exactly what its service's spec declares;
every required setting reaches the pods; secrets come only from existing Secrets; the routes are those of
deploy/gateway/dynamic.yml; and the values the chart must refuse are refused.

Rendering needs Helm's Go library, which runs on Python 3.12: the chart checker's own environment
(deploy/k8s/check, installed by `make test` before pytest runs) renders, through the checker's `helm.render`,
in a subprocess."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from console.settings import ConsoleSettings
from devstack import chart
from devstack.stack import ARCHIVE_SECRETS, SERVICES
from kit.settings import KitSettings

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "k8s" / "qinglang"
VALUE_SETS = sorted((CHART / "ci").glob("*-values.yaml"))
CHECKER_PYTHON = ROOT / "deploy" / "k8s" / "check" / ".venv" / "bin" / "python"
RELEASE = "qinglang"
NAMESPACE = "qinglang"
API_VERSIONS = [
    "monitoring.coreos.com/v1",
    "keda.sh/v1alpha1",
    "gateway.networking.k8s.io/v1",
    "traefik.io/v1alpha1",
    "kafka.strimzi.io/v1beta2",
    "postgresql.cnpg.io/v1",
]
GATEWAY = ROOT / "deploy" / "gateway"
GATEWAY_PLUGIN = GATEWAY / "plugins-local" / "src" / "github.com" / "qinglang" / "clientport"
CHART_PLUGIN = CHART / "files" / "clientport"
PLUGIN_FILES = {".traefik.yml", "go.mod", "clientport.go"}  # what the chart's ConfigMap holds
_RENDER = """
import json, sys
from pathlib import Path
from chartcheck import helm
chart, values, options = Path(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(json.dumps(helm.render(chart, values, **options)))
"""


class RenderError(Exception):
    pass


def _merge(base: dict, over: dict) -> dict:
    for key, value in over.items():
        base[key] = _merge(base.get(key) or {}, value) if isinstance(value, dict) else value
    return base


def render(*values: Path | dict) -> list[dict]:
    """`helm template` of the chart with these value files/dicts (merged in order), as parsed objects."""
    merged: dict = {}
    for v in values:
        _merge(merged, v if isinstance(v, dict) else yaml.safe_load(v.read_text()) or {})
    options = {"kube_version": "1.31", "api_versions": API_VERSIONS}
    if not CHECKER_PYTHON.exists():
        pytest.fail("the chart checker is not installed: `make chart-check-install` (make test does it)")
    command = [str(CHECKER_PYTHON), "-c", _RENDER, str(CHART), json.dumps(merged), json.dumps(options)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    if done.returncode != 0:
        raise RenderError(done.stderr.strip() or "render failed")
    files = json.loads(done.stdout)
    return [
        doc for name in sorted(files) if not name.endswith(".txt") for doc in yaml.safe_load_all(files[name]) if doc
    ]


@pytest.fixture(scope="module", params=VALUE_SETS, ids=lambda p: p.stem)
def rendered(request: pytest.FixtureRequest) -> tuple[Path, list[dict]]:
    return request.param, render(request.param)


def _of(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def _env(deployment: dict) -> dict[str, dict]:
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    return {e["name"]: e for e in container["env"]}


def _values(path: Path) -> dict:
    merged = yaml.safe_load((CHART / "values.yaml").read_text())
    return _merge(merged, yaml.safe_load(path.read_text()))


def _gateway_config(name: str) -> dict:
    """One of the local gateway's files (deploy/gateway), its ${...} placeholders (devstack's string.Template)
    filled with a number: any does here."""
    return yaml.safe_load(re.sub(r"\$\{[A-Z_]+\}", "1", (GATEWAY / name).read_text()))


@pytest.fixture(scope="module")
def topology() -> dict:
    """The topology as the code declares it now (not the committed file: its staleness is tested below)."""
    return chart.topology()


# --- the topology file ---------------------------------------------------------------------------------


def test_the_committed_topology_is_current() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "devstack.chart", "--check"], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr


def test_a_stale_topology_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "topology.yaml"
    stale.write_text(chart.render().replace("content.published", "content.gone"))
    monkeypatch.setattr(chart, "TOPOLOGY", stale)
    monkeypatch.setattr(chart, "ROOT", tmp_path)
    assert chart.main(["--check"]) == 1


def test_the_topology_names_every_service_and_its_per_process_groups_by_prefix(topology: dict) -> None:
    assert set(topology["services"]) == set(SERVICES)
    for service, spec in topology["services"].items():
        prefixes = [g["prefix"] for g in spec["groups"] if "prefix" in g]
        assert any(p.endswith(".revocations.") for p in prefixes), service
    assert {"prefix": "moderation.policy.", "topics": ["moderation.policy.v1"]} in topology["services"]["moderation"][
        "groups"
    ]


# --- every value set --------------------------------------------------------------------------------------


def test_every_service_runs_as_api_and_worker(rendered: tuple[Path, list[dict]]) -> None:
    _, objects = rendered
    deployments = _of(objects, "Deployment")
    services = _of(objects, "Service")
    pdbs = _of(objects, "PodDisruptionBudget")
    for service in SERVICES:
        for role in ("api", "worker"):
            name = f"{RELEASE}-{service}-{role}"
            env = _env(deployments[name])
            assert env["SERVICE_ROLE"]["value"] == role
            assert env["MIGRATE_ON_START"]["value"] == "false"
            assert env["BROKER_WATCH_ENABLED"]["value"] == "false"
            assert name in services and name in pdbs
            pod = deployments[name]["spec"]["template"]["spec"]
            container = pod["containers"][0]
            assert pod["securityContext"]["runAsUser"] == 10001
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
            assert container["startupProbe"]["httpGet"]["path"] == "/healthz"


def test_every_required_setting_reaches_the_api_pods(rendered: tuple[Path, list[dict]]) -> None:
    """Each field of a service's Settings class without a default is set in its api and worker pods, from
    a value or a Secret the values name."""
    path, objects = rendered
    values = _values(path)
    deployments = _of(objects, "Deployment")
    for service, settings_class in _settings_classes().items():
        required = {name.upper() for name, field in settings_class.model_fields.items() if field.is_required()}
        assert "DATABASE_URL" in required
        for role in ("api", "worker"):
            env = _env(deployments[f"{RELEASE}-{service}-{role}"])
            missing = required - set(env)
            assert not missing, f"{service} {role}: {sorted(missing)}"
        secrets_named = {values["services"][service]["database"]["existingSecret"]}
        secrets_named |= {values["services"][service].get("existingSecret"), f"{RELEASE}-{service}"}
        secrets_named |= {values["services"][service].get("kafka", {}).get("existingSecret")}
        for entry in _env(deployments[f"{RELEASE}-{service}-api"]).values():
            if "valueFrom" in entry:
                assert entry["valueFrom"]["secretKeyRef"]["name"] in secrets_named, entry


def test_the_services_accept_the_settings_the_chart_gives_them(
    rendered: tuple[Path, list[dict]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each pod's environment (the Secrets' keys filled with stand-ins) builds its service's Settings class:
    types, ranges and cross-checks (production keeps media in S3, the inbox outlives the topics, ...)."""
    _, objects = rendered
    stand_ins = chart.build_environment()
    classes = {**_settings_classes(), "console": ConsoleSettings}
    pods = [
        (d, classes[d["metadata"]["labels"]["app.kubernetes.io/name"]]) for d in _of(objects, "Deployment").values()
    ]
    pods += [(j, KitSettings) for j in _of(objects, "Job").values()]  # kit.ops reads the kit's settings only
    for workload, settings_class in pods:
        with monkeypatch.context() as m:
            for name in list(os.environ):
                m.delenv(name)
            for entry in workload["spec"]["template"]["spec"]["containers"][0]["env"]:
                m.setenv(entry["name"], entry.get("value") or stand_ins.get(entry["name"], "stand-in"))
            settings = settings_class(_env_file=None)
            assert settings.is_production, workload["metadata"]["name"]


def test_no_secret_is_in_the_output(rendered: tuple[Path, list[dict]]) -> None:
    _, objects = rendered
    assert not [o for o in objects if o["kind"] == "Secret" and (o.get("data") or o.get("stringData"))]
    secret_names = {
        "TOKEN_SIGNING_KEY", "PII_ENCRYPTION_KEY", "PII_LOOKUP_KEY", "PII_RETIRED_KEYS", "DATABASE_PASSWORD",
        "KAFKA_SASL_PASSWORD", "MEDIA_S3_SECRET_ACCESS_KEY", "MEDIA_S3_ACCESS_KEY_ID",
        *ARCHIVE_SECRETS,
    }  # fmt: skip
    for deployment in _of(objects, "Deployment").values():
        for name, entry in _env(deployment).items():
            if name in secret_names:
                assert "value" not in entry, (deployment["metadata"]["name"], name)


def test_each_service_migrates_in_a_hook_job(rendered: tuple[Path, list[dict]]) -> None:
    _, objects = rendered
    jobs = _of(objects, "Job")
    for service in SERVICES:
        job = jobs[f"{RELEASE}-{service}-migrate"]
        assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
        container = job["spec"]["template"]["spec"]["containers"][0]
        assert container["command"] == ["python", "-m", "kit.ops", "migrate", service]
        env = {e["name"]: e for e in container["env"]}
        assert "DATABASE_URL" in env
        # The kit refuses an inbox retention shorter than the topics' in every process, the Job's too.
        assert (
            env["KAFKA_TOPIC_RETENTION_MS"]
            == _env(_of(objects, "Deployment")[f"{RELEASE}-{service}-api"])["KAFKA_TOPIC_RETENTION_MS"]
        )
        # A migration needs its database only: nothing waits on a Kafka user's Secret that is not there yet.
        assert not [e for e in container["env"] if e["name"].startswith("KAFKA_SASL")]


def test_each_pod_has_a_network_policy(rendered: tuple[Path, list[dict]]) -> None:
    path, objects = rendered
    values = _values(path)
    policies = _of(objects, "NetworkPolicy")
    monitoring = {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": values["monitoring"]["namespace"]}}
    }
    for service in SERVICES:
        for role in ("api", "worker", "migrate"):
            policy = policies[f"{RELEASE}-{service}-{role}"]
            assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
            peers = [peer for rule in policy["spec"]["ingress"] for peer in rule["from"]]
            if role == "migrate":
                assert peers == []
            elif role == "worker":
                assert len(peers) == 1 and peers[0]["namespaceSelector"] == monitoring["namespaceSelector"]
            else:
                selectors = [p.get("namespaceSelector", {}).get("matchLabels", {}) for p in peers]
                gateway_ns = values["gateway"]["namespace"] or NAMESPACE
                assert {"kubernetes.io/metadata.name": gateway_ns} in selectors
        egress_cidrs = {
            peer["ipBlock"]["cidr"]
            for rule in policies[f"{RELEASE}-{service}-api"]["spec"]["egress"]
            for peer in rule["to"]
            if "ipBlock" in peer
        }
        for party in (values["services"][service].get("outside") or {}).values():
            assert set(party["cidrs"]) <= egress_cidrs


def test_each_kafka_user_may_do_exactly_what_its_service_declares(
    rendered: tuple[Path, list[dict]], topology: dict
) -> None:
    path, objects = rendered
    users = _of(objects, "KafkaUser")
    if _values(path)["kafka"]["mode"] != "strimzi":
        assert not users and not _of(objects, "KafkaTopic")
        return
    for service, spec in topology["services"].items():
        expected: set[tuple[str, str, str, str]] = set()
        for topic in spec["produces"]:
            expected.add(("topic", topic, "literal", "Write"))
        for group in spec["groups"]:
            for topic in group["topics"]:
                expected |= {("topic", topic, "literal", "Read"), ("topic", topic, "literal", "Describe")}
            if "name" in group:
                expected.add(("group", group["name"], "literal", "Read"))
            else:
                expected.add(("group", group["prefix"], "prefix", "Read"))
        acls = users[f"{RELEASE}-{service}"]["spec"]["authorization"]["acls"]
        granted = {
            (a["resource"]["type"], a["resource"]["name"], a["resource"]["patternType"], op)
            for a in acls
            for op in a["operations"]
        }
        assert granted == expected, service


def test_topics_carry_the_retention_the_services_are_told(rendered: tuple[Path, list[dict]], topology: dict) -> None:
    path, objects = rendered
    values = _values(path)
    topics = {t["spec"]["topicName"]: t for t in _of(objects, "KafkaTopic").values()}
    env = _env(_of(objects, "Deployment")[f"{RELEASE}-content-worker"])
    assert int(env["KAFKA_TOPIC_RETENTION_MS"]["value"]) == values["kafka"]["topics"]["retentionMs"]
    assert int(env["INBOX_RETENTION_HOURS"]["value"]) * 3_600_000 > max(
        [values["kafka"]["topics"]["retentionMs"]] + [int(t["spec"]["config"]["retention.ms"]) for t in topics.values()]
    )
    if values["kafka"]["mode"] == "strimzi":
        assert set(topics) == set(topology["topics"])


def test_worker_autoscaling_never_exceeds_the_partitions(rendered: tuple[Path, list[dict]], topology: dict) -> None:
    path, objects = rendered
    values = _values(path)
    scalers = {**_of(objects, "ScaledObject"), **_of(objects, "HorizontalPodAutoscaler")}
    for service, spec in topology["services"].items():
        scaler = scalers.get(f"{RELEASE}-{service}-worker")
        if scaler is None:
            continue
        top = scaler["spec"].get("maxReplicaCount", scaler["spec"].get("maxReplicas"))
        overrides = values["kafka"]["topics"]["overrides"]
        partitions = max(
            overrides.get(topic, {}).get("partitions", values["kafka"]["topics"]["partitions"])
            for group in spec["groups"]
            if "name" in group
            for topic in group["topics"]
        )
        assert top <= partitions, service


def test_the_routes_are_those_of_the_local_gateway(rendered: tuple[Path, list[dict]]) -> None:
    """Each router of deploy/gateway/dynamic.yml is an HTTPRoute with the same paths, methods, service,
    rate-limit class and body limit."""
    path, objects = rendered
    routes = _of(objects, "HTTPRoute")
    if not _values(path)["gateway"]["enabled"]:
        assert not routes and not _of(objects, "Middleware")
        return
    dynamic = _gateway_config("dynamic.yml")["http"]
    # The entry point's middlewares (the client's source port, MB-16.2) run first on every router there: the
    # HTTPRoutes name them first.
    entry_point = [
        m.removesuffix("@file") for m in _gateway_config("traefik.yml")["entryPoints"]["web"]["http"]["middlewares"]
    ]
    backends = {"regulator": "regulator-gateway"}
    kinds = {"Path": "Exact", "PathPrefix": "PathPrefix", "PathRegexp": "RegularExpression"}
    for router, spec in dynamic["routers"].items():
        if router == "unrouted":
            continue
        route = routes[f"{RELEASE}-{router}"]
        rule = route["spec"]["rules"][0]
        matchers = re.findall(r"(PathRegexp|PathPrefix|Path)\(`([^`]*)`\)", spec["rule"])
        wanted_paths = {(kinds[kind], value.replace("$$", "$")) for kind, value in matchers}
        assert {(m["path"]["type"], m["path"]["value"]) for m in rule["matches"]} == wanted_paths, router
        wanted_methods = set(re.findall(r"Method\(`([A-Z]+)`\)", spec["rule"]))
        assert {m["method"] for m in rule["matches"] if "method" in m} == wanted_methods, router
        service = backends.get(spec["service"], spec["service"])
        component = "web" if service == "console" else "api"  # the console's pages: its own Deployment
        assert rule["backendRefs"] == [{"name": f"{RELEASE}-{service}-{component}", "port": 8000}], router
        middlewares = [f["extensionRef"]["name"].removeprefix(f"{RELEASE}-") for f in rule["filters"]]
        assert middlewares == entry_point + spec["middlewares"], router
    unrouted = routes[f"{RELEASE}-unrouted"]["spec"]["rules"][0]["filters"]
    assert [f["extensionRef"]["name"].removeprefix(f"{RELEASE}-") for f in unrouted][: len(entry_point)] == entry_point
    middlewares = _of(objects, "Middleware")
    for name in entry_point:
        assert middlewares[f"{RELEASE}-{name}"]["spec"] == dynamic["middlewares"][name], name
    assert middlewares[f"{RELEASE}-problems"]["spec"]["errors"]["status"] == ["413", "429", "502", "504"]
    media = middlewares[f"{RELEASE}-media-body-limit"]["spec"]["buffering"]["maxRequestBodyBytes"]
    env = _env(_of(objects, "Deployment")[f"{RELEASE}-content-api"])
    assert media == int(env["MEDIA_MAX_BYTES"]["value"])


def test_the_first_phase_installs_only_the_operators_resources() -> None:
    """stage=infrastructure (the first of two phases when the chart creates the database cluster): the
    databases, Kafka, topics and users, and nothing that needs them (no hook waiting for a database)."""
    objects = render(CHART / "ci" / "full-values.yaml", {"stage": "infrastructure"})
    kinds = {o["kind"] for o in objects}
    assert kinds == {"Cluster", "Database", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser"}
    keep = [o for o in objects if o["kind"] in {"Cluster", "Kafka", "KafkaNodePool"}]
    assert all(o["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep" for o in keep)


def test_a_service_overrides_the_defaults_with_false_and_zero_too() -> None:
    override = {"services": {"reporting": {"worker": {"replicas": 0, "spread": False, "resources": {"limits": {}}}}}}
    deployments = _of(render(CHART / "ci" / "minimal-values.yaml", override), "Deployment")
    worker = deployments[f"{RELEASE}-reporting-worker"]
    assert worker["spec"]["replicas"] == 0
    assert "topologySpreadConstraints" not in worker["spec"]["template"]["spec"]
    assert worker["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"] == "250m"
    assert "topologySpreadConstraints" in deployments[f"{RELEASE}-content-worker"]["spec"]["template"]["spec"]


@pytest.mark.requirement("MB-6.1")
def test_the_lexicon_evaluation_is_bounded_as_the_values_say() -> None:
    """Issue 16: every moderation pod evaluates proposed lexicon changes on the whole clean corpus by default
    (no LEXICON_EVAL_CORPUS_LIMIT), or on as many sentences per source as the values say."""
    deployments = _of(render(CHART / "ci" / "minimal-values.yaml"), "Deployment")
    for component in ("api", "worker"):
        env = _env(deployments[f"{RELEASE}-moderation-{component}"])
        assert "LEXICON_EVAL_CORPUS_LIMIT" not in env and env["LEXICON_EVAL_MAX_ENTRIES"]["value"] == "2000"
    bounded = {"services": {"moderation": {"lexiconEvaluation": {"corpusLimit": 5000, "maxEntries": 300}}}}
    env = _env(_of(render(CHART / "ci" / "minimal-values.yaml", bounded), "Deployment")[f"{RELEASE}-moderation-worker"])
    assert (env["LEXICON_EVAL_CORPUS_LIMIT"]["value"], env["LEXICON_EVAL_MAX_ENTRIES"]["value"]) == ("5000", "300")
    with pytest.raises(RenderError):
        render(
            CHART / "ci" / "minimal-values.yaml", {"services": {"moderation": {"lexiconEvaluation": {"maxEntries": 0}}}}
        )


def test_the_console_runs_behind_the_gateway_reaching_nothing(rendered: tuple[Path, list[dict]]) -> None:
    """The staff console (issue 14): its own Deployment (component web, not one of the API pods that render the
    gateway's problems), hardened like the services, production settings, served only to the gateway and
    monitoring, and reaching nothing (the browser calls the services through the gateway)."""
    path, objects = rendered
    values = _values(path)
    name = f"{RELEASE}-console-web"
    deployment = _of(objects, "Deployment")[name]
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert "/console:" in container["image"]
    assert pod["automountServiceAccountToken"] is False
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    env = _env(deployment)
    assert not [e for e in env.values() if "valueFrom" in e], "the console holds no secret"
    assert not {"DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS"} & set(env)
    assert env["ENVIRONMENT"]["value"] == "production"
    assert int(env["CONSOLE_HSTS_SECONDS"]["value"]) == values["console"]["hstsSeconds"]
    assert name in _of(objects, "Service") and name in _of(objects, "PodDisruptionBudget")
    problems = _of(objects, "Service")[f"{RELEASE}-problems"]["spec"]["selector"]
    assert (
        deployment["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"]
        != problems["app.kubernetes.io/component"]
    )
    if values["gateway"]["enabled"]:
        route = _of(objects, "HTTPRoute")[f"{RELEASE}-console"]
        assert route["spec"]["rules"][0]["backendRefs"] == [{"name": name, "port": 8000}]
    if values["networkPolicy"]["enabled"]:
        policy = _of(objects, "NetworkPolicy")[name]
        assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"] and policy["spec"]["egress"] == []
        peers = [peer for rule in policy["spec"]["ingress"] for peer in rule["from"]]
        gateway_ns = values["gateway"]["namespace"] or NAMESPACE
        assert {"kubernetes.io/metadata.name": gateway_ns} in [p["namespaceSelector"]["matchLabels"] for p in peers]
        assert all("ipBlock" not in p for p in peers)


def test_a_disabled_console_leaves_nothing_behind() -> None:
    objects = render(CHART / "ci" / "minimal-values.yaml", {"console": {"enabled": False}})
    assert not [o for o in objects if o["metadata"]["name"].startswith(f"{RELEASE}-console")]


def test_a_console_autoscaled_otherwise_than_by_cpu_is_refused() -> None:
    with pytest.raises(RenderError, match=r"console\.web\.autoscaling\.mode"):
        render(CHART / "ci" / "minimal-values.yaml", {"console": {"web": {"autoscaling": {"mode": "keda"}}}})


@pytest.mark.requirement("MB-16.2")
def test_every_service_seals_the_user_log_to_the_archives_one_key(rendered: tuple[Path, list[dict]]) -> None:
    """USER_LOG_SEAL_KEY (the archive's public key, a plain value) in every pod of the five services and their
    migration Jobs; the archive's secrets only in regulator-gateway's api and worker pods, by reference to
    the Secret the values name (not in its migration Job, not in any other service, not in the console)."""
    path, objects = rendered
    values = _values(path)
    seal_key = values["userLog"]["sealKey"]
    archive = values["services"]["regulator-gateway"]["existingSecret"]
    workloads = {**_of(objects, "Deployment"), **_of(objects, "Job")}
    for service in SERVICES:
        for role in ("api", "worker", "migrate"):
            env = _env(workloads[f"{RELEASE}-{service}-{role}"])
            assert env["USER_LOG_SEAL_KEY"] == {"name": "USER_LOG_SEAL_KEY", "value": seal_key}, (service, role)
            if service == "regulator-gateway" and role != "migrate":
                for name in ARCHIVE_SECRETS:
                    assert env[name]["valueFrom"]["secretKeyRef"] == {"name": archive, "key": name}, (role, name)
            else:
                assert not set(ARCHIVE_SECRETS) & set(env), (service, role)
    console = _env(_of(objects, "Deployment")[f"{RELEASE}-console-web"])
    assert "USER_LOG_SEAL_KEY" not in console


@pytest.mark.requirement("MB-16.2")
def test_the_charts_copy_of_the_gateway_plugin_is_the_gateways() -> None:
    """files/clientport (the chart cannot read outside its directory; a symlink would be dropped by tools that
    skip links, such as Flux's source-controller) holds exactly the files of the local gateway's plugin."""
    assert PLUGIN_FILES == {p.name for p in GATEWAY_PLUGIN.iterdir()}
    assert {p.name for p in CHART_PLUGIN.iterdir()} == PLUGIN_FILES
    for name in PLUGIN_FILES:
        assert (CHART_PLUGIN / name).read_bytes() == (GATEWAY_PLUGIN / name).read_bytes(), name


@pytest.mark.requirement("MB-16.2")
def test_the_gateway_passes_the_client_port_through_its_plugin(rendered: tuple[Path, list[dict]]) -> None:
    """The client-port Middleware on every HTTPRoute, and the plugin's files in a ConfigMap in the gateway's
    namespace for Traefik to mount (experimental.localPlugins.clientport)."""
    path, objects = rendered
    values = _values(path)
    if not values["gateway"]["enabled"]:
        assert not _of(objects, "ConfigMap").get(f"{RELEASE}-clientport-plugin")
        return
    middleware = _of(objects, "Middleware")[f"{RELEASE}-client-port"]
    assert middleware["spec"] == {"plugin": {"clientport": {"header": "X-Client-Port"}}}
    for name, route in _of(objects, "HTTPRoute").items():
        first = route["spec"]["rules"][0]["filters"][0]
        assert first == {
            "type": "ExtensionRef",
            "extensionRef": {"group": "traefik.io", "kind": "Middleware", "name": f"{RELEASE}-client-port"},
        }, name
    plugin = _of(objects, "ConfigMap")[f"{RELEASE}-clientport-plugin"]
    assert plugin["metadata"]["namespace"] == (values["gateway"]["namespace"] or NAMESPACE)
    assert plugin["data"] == {name: (GATEWAY_PLUGIN / name).read_text() for name in PLUGIN_FILES}


def test_without_the_client_port_no_route_names_it() -> None:
    objects = render(CHART / "ci" / "minimal-values.yaml", {"gateway": {"clientPort": {"enabled": False}}})
    assert f"{RELEASE}-client-port" not in _of(objects, "Middleware")
    assert f"{RELEASE}-clientport-plugin" not in _of(objects, "ConfigMap")
    for route in _of(objects, "HTTPRoute").values():
        assert "client-port" not in str(route["spec"]["rules"][0]["filters"])


# --- what the chart refuses -----------------------------------------------------------------------------


def test_values_without_the_secret_names_are_refused() -> None:
    with pytest.raises(RenderError, match="existingSecret"):
        render(CHART / "values.yaml")
    minimal = yaml.safe_load((CHART / "ci" / "minimal-values.yaml").read_text())
    minimal["services"]["identity"]["existingSecret"] = ""
    with pytest.raises(RenderError, match="identity"):
        render(minimal)


@pytest.mark.requirement("MB-16.2")
def test_services_without_the_archives_key_are_refused() -> None:
    """No user log without its sealing key where the services are rendered (the first phase, operators'
    resources only, needs none), no malformed key, and no archive without its Secret."""
    with pytest.raises(RenderError, match=r"userLog\.sealKey is required \(MB-16\.2"):
        render(CHART / "ci" / "minimal-values.yaml", {"userLog": {"sealKey": ""}})
    phase_one = render(CHART / "ci" / "minimal-values.yaml", {"userLog": {"sealKey": ""}, "stage": "infrastructure"})
    assert phase_one and not _of(phase_one, "Deployment")
    with pytest.raises(RenderError, match="sealKey"):
        render(CHART / "ci" / "minimal-values.yaml", {"userLog": {"sealKey": "bm90IGEga2V5"}})
    minimal = yaml.safe_load((CHART / "ci" / "minimal-values.yaml").read_text())
    del minimal["services"]["regulator-gateway"]["existingSecret"]
    with pytest.raises(RenderError, match="existingSecret"):
        render(minimal)
    # one key for every service: not per service through env
    with pytest.raises(RenderError, match="invalid propertyName 'USER_LOG_SEAL_KEY'"):
        render(CHART / "ci" / "minimal-values.yaml", {"services": {"content": {"env": {"USER_LOG_SEAL_KEY": "x"}}}})


def test_a_secret_cannot_be_given_as_a_plain_setting() -> None:
    with pytest.raises(RenderError, match="invalid propertyName 'TOKEN_SIGNING_KEY'"):
        render(CHART / "ci" / "minimal-values.yaml", {"services": {"identity": {"env": {"TOKEN_SIGNING_KEY": "x"}}}})


def test_a_misspelt_value_is_refused() -> None:
    with pytest.raises(RenderError, match="'replicaz' not allowed"):
        render(CHART / "ci" / "minimal-values.yaml", {"services": {"reporting": {"worker": {"replicaz": 2}}}})


def test_an_inbox_retention_shorter_than_the_topics_is_refused() -> None:
    with pytest.raises(RenderError, match="inboxHours"):
        render(CHART / "ci" / "minimal-values.yaml", {"retention": {"inboxHours": 168}})


def test_more_workers_than_partitions_are_refused() -> None:
    with pytest.raises(RenderError, match="partitions"):
        render(CHART / "ci" / "minimal-values.yaml", {"services": {"reporting": {"worker": {"replicas": 13}}}})


# --------------------------------------------------------------------------------------------------------


@functools.cache
def _settings_classes() -> dict[str, type]:
    """Each service's Settings class, as its app factory builds it."""
    classes = {}
    for service in SERVICES:
        classes[service] = type(_spec(service).settings)
    return classes


def _spec(service: str):
    import importlib
    import os

    saved = dict(os.environ)
    try:
        os.environ.update(chart.build_environment())
        os.environ["SERVICE_NAME"] = service
        module, function = SERVICES[service][0].split(":")
        return getattr(importlib.import_module(module), function)().state.spec
    finally:
        os.environ.clear()
        os.environ.update(saved)
