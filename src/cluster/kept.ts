// What the cluster audit keeps of the lists it cannot reduce as they stream (RBAC objects,
// namespaces, control-plane pods, node names): each object cut down to the fields the analysis
// reads (no managedFields, no last-applied annotation: often most of an object), and all of it
// counted against one bound, so a hostile API server cannot fill memory through a list the audit
// must hold whole. The bound is far above a real cluster's: 100,000 RBAC objects cut down are
// ~30 MB.

/** bytes (as compact JSON) all kept objects together may take */
export const MAX_KEPT_BYTES = 64 * 1024 * 1024;

export class KeptBudget {
  private used = 0;
  readonly max: number;

  constructor(max = MAX_KEPT_BYTES) {
    this.max = max;
  }

  /** Counts `bytes` in; false when that goes over the bound (they are counted anyway: once over, it stays over). */
  take(bytes: number): boolean {
    this.used += bytes;
    return this.used <= this.max;
  }

  get bytes(): number {
    return this.used;
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

function meta(v: unknown, fields: readonly string[]): Obj {
  const m = obj(obj(v)?.metadata) ?? {};
  const out: Obj = {};
  for (const f of fields) if (m[f] !== undefined) out[f] = m[f];
  return out;
}

function pick(v: unknown, fields: readonly string[]): Obj {
  const o = obj(v) ?? {};
  const out: Obj = {};
  for (const f of fields) if (o[f] !== undefined) out[f] = o[f];
  return out;
}

/** The fields the RBAC engine reads (rbac/types.ts), by list. */
export const REDUCERS = {
  clusterroles: (v: unknown) => ({ metadata: meta(v, ['name', 'labels']), ...pick(v, ['rules', 'aggregationRule']) }),
  roles: (v: unknown) => ({ metadata: meta(v, ['name', 'namespace']), ...pick(v, ['rules']) }),
  clusterrolebindings: (v: unknown) => ({ metadata: meta(v, ['name']), ...pick(v, ['roleRef', 'subjects']) }),
  rolebindings: (v: unknown) => ({ metadata: meta(v, ['name', 'namespace']), ...pick(v, ['roleRef', 'subjects']) }),
  /** Pod Security labels and the name (workloads.ts podSecurityGaps, look-alike namespaces) */
  namespaces: (v: unknown) => ({ metadata: meta(v, ['name', 'labels']) }),
} as const;

/** The size an object is counted at: its compact JSON (0 for what cannot be serialised). */
export function sizeOf(v: unknown): number {
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return 0;
  }
}
