// Validates Kubernetes objects (YAML documents on stdin, e.g. `kubectl kustomize deploy/kubernetes`) against the
// Kubernetes OpenAPI schemas as compiled by the kubernetes-models package (types, required fields, formats, enums):
// the offline check available without an API server (kubectl apply --dry-run=client needs one for discovery).
// Prints one JSON line per object {apiVersion, kind, name, valid, errors}; exits 1 if any object is invalid or of a
// kind the package does not know.
import { parseAllDocuments } from "yaml";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const documents = parseAllDocuments(Buffer.concat(chunks).toString("utf8"));
let failed = false;
for (const document of documents) {
  if (document.errors.length > 0) {
    console.log(JSON.stringify({ valid: false, errors: document.errors.map((e) => e.message) }));
    failed = true;
    continue;
  }
  const object = document.toJS();
  if (object === null || object === undefined) continue;
  const { apiVersion, kind } = object;
  const name = object.metadata?.name;
  // "v1" is the core group (kubernetes-models/v1); "apps/v1" → kubernetes-models/apps/v1.
  let module;
  try {
    module = await import(`kubernetes-models/${apiVersion}`);
  } catch {
    console.log(JSON.stringify({ apiVersion, kind, name, valid: false, errors: [`unknown apiVersion ${apiVersion}`] }));
    failed = true;
    continue;
  }
  const Model = module[kind];
  if (typeof Model !== "function") {
    console.log(JSON.stringify({ apiVersion, kind, name, valid: false, errors: [`unknown kind ${kind} in ${apiVersion}`] }));
    failed = true;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(JSON.stringify({ apiVersion, kind, name, valid: true, errors: [] }));
  } catch (error) {
    const errors = Array.isArray(error.errors) ? error.errors.map((e) => `${e.instancePath} ${e.message}`) : [String(error.message)];
    console.log(JSON.stringify({ apiVersion, kind, name, valid: false, errors }));
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
