// Validates custom resources against their operators' upstream CRD schemas, as compiled into validators by the
// kubernetes-models packages (npm; each generated from the operator's released CRDs). Reads a JSON array of
// objects on stdin, writes a JSON array of {ok, schema, error} in the same order. A kind no package here knows
// is an error, never a pass.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { strictCheck } from "./strict.mjs";

const require = createRequire(import.meta.url);

// API group -> the package carrying its schemas.
const PACKAGES = {
  "kafka.strimzi.io": "@kubernetes-models/strimzi-kafka-operator",
  "postgresql.cnpg.io": "@kubernetes-models/cloudnative-pg",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
  "traefik.io": "@kubernetes-models/traefik",
  "keda.sh": "@kubernetes-models/keda",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

function packageVersion(pkg) {
  return JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")).version;
}

async function check(doc) {
  const apiVersion = String(doc?.apiVersion ?? "");
  const kind = String(doc?.kind ?? "");
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const pkg = PACKAGES[group];
  if (!pkg) return { ok: false, schema: null, error: `no CRD schema package for API group ${JSON.stringify(group)}` };
  if (!/^[A-Za-z0-9]+$/.test(kind) || !/^v[0-9a-z]+$/.test(version)) {
    return { ok: false, schema: null, error: `malformed apiVersion/kind ${apiVersion} ${kind}` };
  }
  const schema = `${pkg}@${packageVersion(pkg)} ${group}/${version}`;
  let model;
  try {
    model = (await import(`${pkg}/${group}/${version}/${kind}`))[kind];
  } catch {
    return { ok: false, schema: null, error: `${pkg}@${packageVersion(pkg)} has no ${kind} in ${group}/${version}` };
  }
  try {
    new model(doc).validate();
    return { ok: true, schema, error: null, strict: { pkg, group, version, kind, doc } };
  } catch (e) {
    return { ok: false, schema, error: String(e?.message ?? e) };
  }
}

// The API versions (group/version and group/version/Kind) the packages carry: what the chart is rendered with
// as `.Capabilities.APIVersions`, like `helm template --api-versions`.
function capabilities() {
  const out = [];
  for (const [group, pkg] of Object.entries(PACKAGES)) {
    const root = join(dirname(require.resolve(`${pkg}/package.json`)), group);
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const version = entry.name;
      out.push(`${group}/${version}`);
      for (const file of readdirSync(join(root, version))) {
        const m = /^([A-Z][A-Za-z0-9]*)\.js$/.exec(file);
        if (m && !m[1].endsWith("List")) out.push(`${group}/${version}/${m[1]}`);
      }
    }
  }
  return out;
}

if (process.argv.includes("--capabilities")) {
  process.stdout.write(JSON.stringify({ groups: Object.keys(PACKAGES), api_versions: capabilities() }));
  process.exit(0);
}
const docs = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const doc of docs) results.push(await check(doc));
// unknown fields: the same schemas' TypeScript types, for the objects that passed the validators
const passed = results.filter((r) => r.strict);
strictCheck(passed.map((r) => r.strict)).forEach((error, i) => {
  if (error) Object.assign(passed[i], { ok: false, error: `unknown field or wrong shape (strict): ${error}` });
});
for (const r of results) delete r.strict;
process.stdout.write(JSON.stringify(results));
