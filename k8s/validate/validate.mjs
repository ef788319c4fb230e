// Checks every object of a rendered manifest stream (stdin, from `kubectl kustomize`) against
// the Kubernetes OpenAPI schema shipped in the kubernetes-models package. Offline: no API server.
import { readFileSync } from "node:fs";
import YAML from "yaml";

async function modelFor(apiVersion, kind) {
  // core/v1 objects live under kubernetes-models/v1, the others under <group>/<version>.
  try {
    return (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch (e) {
    return undefined;
  }
}

const docs = YAML.parseAllDocuments(readFileSync(0, "utf8"));
let failures = 0;
let checked = 0;
for (const doc of docs) {
  if (doc.errors.length) {
    console.error(`YAML error: ${doc.errors[0].message}`);
    failures++;
    continue;
  }
  const obj = doc.toJS();
  if (!obj) continue;
  if (obj.kind === "Secret" && obj.data) {
    // Kustomize wraps long base64 values; the API server's decoder skips the newlines, the schema's
    // "byte" format does not.
    for (const key of Object.keys(obj.data)) obj.data[key] = String(obj.data[key]).replace(/\s+/g, "");
  }
  const name = `${obj.apiVersion} ${obj.kind}/${obj.metadata && obj.metadata.name}`;
  const Model = await modelFor(obj.apiVersion || "", obj.kind || "");
  if (!Model) {
    console.error(`FAIL ${name}: no schema for this apiVersion and kind`);
    failures++;
    continue;
  }
  try {
    new Model(obj).validate();
    checked++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failures++;
    console.error(`FAIL ${name}: ${e.message}`);
  }
}
console.log(`${checked} valid, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
