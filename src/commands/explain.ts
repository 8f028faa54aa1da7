// `kubelet-guard explain METHOD PATH` and `kubelet-guard rbac-for PATH...`: what the kubelet's auth filter
// asks the authorizer for a request, and the least-privilege ClusterRole for a set of kubelet endpoints.
import { explain, parseEndpoint, rbacFor, servedByKubelet } from '../cluster/kubelet-authz.ts';
import type { Io } from '../report/output.ts';
import { inert, inertMessage } from '../report/terminal.ts';

export type ExplainIo = Io;

export interface ExplainCommandOptions {
  kubeletVersion?: string;
  fineGrained?: string;
  format?: string;
}

export interface RbacForCommandOptions {
  kubeletVersion?: string;
  fineGrained?: string;
  name?: string;
  /** grant nodes/proxy for paths the kubelet does not serve (refused without it) */
  allowProxy?: boolean;
}

const USAGE = 2;

/** Validates --fine-grained; returns an error message or the value. */
function fineGrainedOpt(v: string | undefined): { ok: true; value: 'on' | 'off' | undefined } | { ok: false; msg: string } {
  if (v === undefined || v === 'on' || v === 'off') return { ok: true, value: v };
  return { ok: false, msg: `--fine-grained ${v}: expected on or off` };
}

const NAME_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function runExplain(method: string, path: string, opts: ExplainCommandOptions, io: ExplainIo): number {
  const fg = fineGrainedOpt(opts.fineGrained);
  if (!fg.ok) return usage(io, fg.msg);
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'json') return usage(io, `--format ${format}: expected text or json`);
  if (!/^[A-Za-z]+$/.test(method)) return usage(io, `method ${JSON.stringify(method)}: expected an HTTP method such as GET`);
  let ex;
  try {
    ex = explain(method, path, { kubeletVersion: opts.kubeletVersion, fineGrained: fg.value });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  if (format === 'json') {
    io.out.write(JSON.stringify({ verb: ex.verb, resource: ex.resource, subresources: ex.subresources, notes: ex.notes }) + '\n');
  } else {
    io.out.write(`verb=${ex.verb === '' ? '""' : inert(ex.verb)} resource=${inert(ex.resource)} subresource(s)=[${inert(ex.subresources.join(' '))}]\n`);
    for (const n of ex.notes) io.out.write(`  - ${inert(n)}\n`);
  }
  return 0;
}

export function runRbacFor(paths: string[], opts: RbacForCommandOptions, io: ExplainIo): number {
  const fg = fineGrainedOpt(opts.fineGrained);
  if (!fg.ok) return usage(io, fg.msg);
  if (paths.length === 0) return usage(io, 'rbac-for: give at least one endpoint, as PATH or "METHOD PATH"');
  if (opts.name !== undefined && (opts.name.length > 253 || !NAME_RE.test(opts.name))) {
    return usage(io, `--name ${opts.name}: expected a DNS subdomain name (lower-case letters, digits, - and .)`);
  }
  let res;
  try {
    // A path the kubelet does not serve is still authorized, as nodes/proxy: a typo ("/metric",
    // "/stats-summary") would grant exec in every pod on the node. Refused unless asked for.
    const unserved = opts.allowProxy ? [] : paths.filter((spec) => !servedByKubelet(parseEndpoint(spec).path));
    if (unserved.length > 0) {
      return usage(io, `rbac-for: the kubelet serves no ${unserved.map((s) => parseEndpoint(s).path).join(', ')}; such a request is authorized as nodes/proxy, which also runs commands in every pod on the node (exec). Check the path (kubelet paths: /pods, /stats/summary, /metrics, /metrics/cadvisor, /metrics/resource, /logs/, /configz, /healthz, /containerLogs/NS/POD/CONTAINER, …), or pass --allow-proxy to grant nodes/proxy anyway`);
    }
    res = rbacFor(paths, { kubeletVersion: opts.kubeletVersion, fineGrained: fg.value, name: opts.name });
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  for (const n of res.notes) io.out.write(`# ${inert(n.replace(/\n/g, ' '))}\n`);
  io.out.write(res.yaml);
  return 0;
}

function usage(io: ExplainIo, msg: string): number {
  io.err.write(`kubelet-guard: ${inertMessage(msg)}`);
  return USAGE;
}
