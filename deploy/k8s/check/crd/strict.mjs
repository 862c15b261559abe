// The strict half of the custom resources' check: unknown fields. The compiled validators (validate.mjs) check
// types, enums and required fields but, like the upstream CRDs, let an unknown field through (a typo such as
// `partitons` would be dropped by the API server and the default used). The same packages carry each CRD's
// schema as a TypeScript type too; assigning an object, as a literal, to that type makes the TypeScript
// compiler reject every property the schema does not declare, at any depth (its excess property check).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import ts from "typescript";

const require = createRequire(import.meta.url);
const HERE = dirname(new URL(import.meta.url).pathname);
const FILE = join(HERE, "__chartcheck__.ts");

// docs: [{pkg, group, version, kind, doc}] -> for each, null or the compiler's message
export function strictCheck(items) {
  if (items.length === 0) return [];
  const lines = [];
  const firstLine = [];
  items.forEach((item, i) => {
    lines.push(`import type { I${item.kind} as T${i} } from "${item.pkg}/${item.group}/${item.version}/${item.kind}";`);
  });
  items.forEach((item, i) => {
    firstLine.push(lines.length);
    lines.push(`export const o${i}: T${i} = ${JSON.stringify(item.doc, null, 1)};`.split("\n"));
    lines.push(...lines.pop());
  });
  const source = lines.join("\n");
  const options = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2022.d.ts"],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (f === FILE ? source : readFile(f));
  host.fileExists = (f) => f === FILE || fileExists(f);
  host.getSourceFile = (f, lang, ...rest) =>
    f === FILE ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang, ...rest);
  const program = ts.createProgram([FILE], options, host);
  const results = items.map(() => null);
  for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(FILE))) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file?.fileName !== FILE || d.start === undefined) throw new Error(`TypeScript: ${message}`);
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    let i = firstLine.length - 1;
    while (i > 0 && firstLine[i] > line) i--;
    if (line < firstLine[0]) throw new Error(`TypeScript cannot load a schema type: ${message}`);
    const path = pathAt(d.file, d.start);
    results[i] = results[i] ?? `${path ? `${path}: ` : ""}${message.replace(/\s+/g, " ").slice(0, 400)}`;
  }
  return results;
}

// The property path (spec/rules/0/filters) of the literal node where the compiler reported.
function pathAt(file, position) {
  let node = findNode(file, position);
  const parts = [];
  while (node && !ts.isVariableDeclaration(node)) {
    const parent = node.parent;
    if (ts.isPropertyAssignment(node)) parts.unshift(node.name.getText(file).replace(/^"|"$/g, ""));
    else if (parent && ts.isArrayLiteralExpression(parent)) parts.unshift(String(parent.elements.indexOf(node)));
    node = parent;
  }
  return parts.join("/");
}

function findNode(node, position) {
  for (const child of node.getChildren()) {
    if (child.getStart() <= position && position < child.getEnd()) return findNode(child, position);
  }
  return node;
}
