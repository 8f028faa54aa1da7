// kube-proxy evidence for CIS 4.3.1, where kube-proxy runs from the node's own files (a systemd
// unit or, live, a process). kubeadm runs it as a DaemonSet: its config is then in the cluster.
// Precedence (cmd/kube-proxy/app/options.go, Options.Complete): with --config the file REPLACES
// the flags (only logging flags and --hostname-override survive); without it the flags apply and
// the deprecated --metrics-port sets the port of metricsBindAddress (0 disables it).
// The v1alpha1 default of metricsBindAddress is 127.0.0.1:10249.
import type { Arg, KubeProxyFacts, Provenance } from '../facts/types.ts';
import { joinNodePath, type RootFs } from './root-fs.ts';
import { reconstructUnit } from './systemd-unit.ts';
import { findProcesses } from './proc.ts';
import { decodeK8sYaml, field } from './k8s-yaml.ts';

export const KUBE_PROXY_DEFAULT_METRICS = '127.0.0.1:10249';

export function readKubeProxy(fs: RootFs, live: boolean): KubeProxyFacts {
  let argv: Arg[] | undefined;
  let source: string | undefined;
  if (live) {
    const p = findProcesses(fs, 'kube-proxy').found[0];
    if (p) {
      argv = p.argv.map((text) => ({ text, via: `/proc/${p.pid}/cmdline` }));
      source = `process ${p.pid}`;
    }
  }
  if (!argv) {
    const u = reconstructUnit(fs, 'kube-proxy.service');
    if (u.unit && u.argv.length > 0) {
      argv = u.argv;
      source = u.unit.file;
    }
  }
  if (!argv) return { present: false, source: 'no kube-proxy unit or process on this node' };

  const flags = simpleFlags(argv.slice(1));
  const facts: KubeProxyFacts = { present: true, source };
  const kubeconfig = flags.get('kubeconfig');
  if (kubeconfig?.value) facts.kubeconfig = joinNodePath('/', kubeconfig.value);

  const config = flags.get('config');
  if (config?.value) {
    const path = joinNodePath('/', config.value);
    const r = fs.read(path, 4 * 1024 * 1024);
    if (!r.ok) return { ...facts, unknown: `cannot read kube-proxy's --config file ${path}: ${r.error}` };
    const decoded = decodeK8sYaml(r.bytes.toString('utf8'));
    if (decoded.status !== 'ok') {
      const at = decoded.problem.line ? ` line ${decoded.problem.line}` : '';
      return { ...facts, unknown: decoded.status === 'refused' ? `kube-proxy's --config file ${path} is not valid YAML (${path}${at}: ${decoded.problem.message})` : `kube-proxy's --config file ${path} is not analysed (${path}${at}: ${decoded.problem.message})` };
    }
    if (decoded.root?.kind !== 'map') return { ...facts, unknown: `kube-proxy's --config file ${path} is not valid YAML (not a mapping)` };
    const k = field(field(decoded.root, 'clientConnection')?.value, 'kubeconfig');
    if (k?.value.kind === 'string' && k.value.value !== '') facts.kubeconfig = joinNodePath('/', k.value.value);
    const m = field(decoded.root, 'metricsBindAddress');
    const written = m && m.value.kind !== 'null' && m.value.kind !== 'map' && m.value.kind !== 'list' ? String(m.value.value) : '';
    facts.metricsBindAddress = written
      ? { value: written, source: { kind: 'config-file', file: path, line: m?.line } }
      : { value: KUBE_PROXY_DEFAULT_METRICS, source: { kind: 'config-default', file: path } };
    return facts;
  }

  const addr = flags.get('metrics-bind-address');
  const port = flags.get('metrics-port');
  let value = addr?.value ?? KUBE_PROXY_DEFAULT_METRICS;
  let src: Provenance = addr ? { kind: 'flag', file: addr.file, line: addr.line, detail: addr.text } : { kind: 'flag-default' };
  if (port) {
    // addressFromDeprecatedFlags: port 0 disables the server, else it replaces the port
    value = port.value === '0' ? '' : `${value.replace(/:[0-9]+$/, '')}:${port.value}`;
    src = { kind: 'flag', file: port.file, line: port.line, detail: port.text };
  }
  facts.metricsBindAddress = { value, source: src };
  return facts;
}

/** kube-proxy's few flags of interest, pflag style: `--f=v` or `--f v`, the last one wins. */
function simpleFlags(args: Arg[]): Map<string, { value: string; text: string; file?: string; line?: number }> {
  const out = new Map<string, { value: string; text: string; file?: string; line?: number }>();
  const wanted = new Set(['config', 'kubeconfig', 'metrics-bind-address', 'metrics-port']);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--?([^=]+)(?:=(.*))?$/s.exec(a.text);
    if (!m) continue;
    const name = m[1]!.replace(/_/g, '-');
    if (!wanted.has(name)) continue;
    let value = m[2];
    let text = a.text;
    if (value === undefined && i + 1 < args.length) {
      value = args[++i]!.text;
      text = `${a.text} ${value}`;
    }
    out.set(name, { value: value ?? '', text, file: a.file, line: a.line });
  }
  return out;
}
