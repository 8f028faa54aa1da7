// Kubernetes objects checked against the API's OpenAPI schema, as `kubectl apply` checks them with
// server-side field validation "Strict" (kubectl's default --validate=strict):
// - types, required fields, enums and formats: kubernetes-models, whose ajv validators are compiled
//   from the Kubernetes OpenAPI spec (one per definition, e.g. io.k8s.api.batch.v1.Job);
// - unknown fields: the OpenAPI schema does not say `additionalProperties: false` (the API server
//   decodes strictly, not the schema), so a misspelt field passes any schema validator unless it is
//   made strict, as kubeconform's -strict does. The field names come from @kubernetes/client-node's
//   models, generated from the same OpenAPI spec (release-1.36; getAttributeTypeMap per definition).
// Both libraries are kept (client-node is the project's cluster client; kubernetes-models is a dev
// dependency for this alone).
import * as k8s from '@kubernetes/client-node';

interface Attribute { baseName: string; type: string }
interface ClientModel { getAttributeTypeMap(): Attribute[] }
interface SchemaModel { validate(): void }

export interface KubeObject { apiVersion?: unknown; kind?: unknown; [k: string]: unknown }

/** `apps/v1` → ['apps', 'v1']; `v1` → ['', 'v1']. */
function groupVersion(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

/** kubernetes-models' class for the object's kind, or undefined when it has none (no such API). */
async function schemaModel(apiVersion: string, kind: string): Promise<(new (data: object) => SchemaModel) | undefined> {
  if (!/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  try {
    const mod = (await import(`kubernetes-models/${apiVersion}`)) as Record<string, unknown>;
    return mod[kind] as (new (data: object) => SchemaModel) | undefined;
  } catch {
    return undefined;
  }
}

function clientModel(name: string): ClientModel | undefined {
  const m = (k8s as unknown as Record<string, unknown>)[name] as Partial<ClientModel> | undefined;
  return typeof m?.getAttributeTypeMap === 'function' ? (m as ClientModel) : undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every field of `value` that the OpenAPI definition `type` (a client-node type name) does not declare. */
function unknownFields(value: unknown, type: string, path: string, out: string[]): void {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, array[1]!, `${path}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) unknownFields(v, map[1]!, `${path}[${JSON.stringify(k)}]`, out);
    return;
  }
  const model = clientModel(type);
  // primitives, IntOrString, Date, and free-form objects (`any`) have no field list
  if (!model || !isPlainObject(value)) return;
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    const t = fields.get(k);
    if (t === undefined) out.push(`${path}.${k}: unknown field (not in the OpenAPI definition ${type})`);
    else unknownFields(v, t, `${path}.${k}`, out);
  }
}

/** The problems the API server's schema would find in `obj`; empty when it is valid. */
export async function schemaErrors(obj: KubeObject): Promise<string[]> {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['apiVersion and kind must be strings'];
  const Model = await schemaModel(apiVersion, kind);
  const [, version] = groupVersion(apiVersion);
  const clientName = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
  if (!Model || !clientModel(clientName)) return [`no OpenAPI definition for ${apiVersion} ${kind}`];
  const errors: string[] = [];
  try {
    new Model(obj).validate();
  } catch (e) {
    // ajv's "data/spec/containers/0/name must be string" as "Job.spec.containers[0].name must be string"
    const path = (m: string) => m.replace(/^data/, kind).replace(/\/(\d+)(?=[/\s]|$)/g, '[$1]').replace(/\/([^/\s]+)/g, '.$1');
    errors.push(...String((e as Error).message).split(', ').map(path));
  }
  unknownFields(obj, clientName, kind, errors);
  return errors;
}
