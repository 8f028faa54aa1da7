// Test support: NodeFacts built the way the node source builds them (real config parsing, real
// precedence), from a config file's text, drop-ins and flags. Only tests import this module.
import type { Arg, NodeFacts } from '../facts/types.ts';
import type { StatResult } from '../sources/root-fs.ts';
import { parseConfigDoc } from '../kubelet/config-file.ts';
import { computeEffectiveConfig } from '../kubelet/effective-config.ts';
import { parsePflags } from '../kubelet/pflag.ts';
import { refusalDiagnostics } from '../kubelet/validation.ts';
import type { Check, CheckResult } from './types.ts';

export interface FactsSpec {
  /** text of --config (at /var/lib/kubelet/config.yaml); omit for a flags-only kubelet */
  config?: string;
  /** drop-in texts, applied in order (at /etc/kubernetes/kubelet.conf.d/NN.conf) */
  dropIns?: string[];
  /** explicit flags, e.g. ['--read-only-port=0'] (from /etc/default/kubelet line 1) */
  flags?: string[];
  /** file stats by node path (mode, uid, gid…); exists defaults to true */
  files?: Record<string, Partial<StatResult>>;
  version?: string;
  /** no kubelet found: every kubelet check must be unknown */
  missing?: string;
  patch?: (f: NodeFacts) => void;
}

export const CONFIG_PATH = '/var/lib/kubelet/config.yaml';
export const FLAGS_FILE = '/etc/default/kubelet';

export const KUBEADM_CONFIG = `apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
healthzBindAddress: 127.0.0.1
healthzPort: 10248
rotateCertificates: true
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
`;

export function factsFrom(spec: FactsSpec = {}): NodeFacts {
  const argv: Arg[] = (spec.flags ?? []).map((text) => ({ text, file: FLAGS_FILE, line: 1 }));
  const parsed = parsePflags(argv);
  const configDoc = spec.config === undefined ? undefined : parseConfigDoc(Buffer.from(spec.config), CONFIG_PATH, 'config-file');
  const dropIns = (spec.dropIns ?? []).map((t, i) => parseConfigDoc(Buffer.from(t), `/etc/kubernetes/kubelet.conf.d/${10 + i}.conf`, 'drop-in'));
  const effective = computeEffectiveConfig({
    flags: parsed.flags,
    configFile: configDoc ? { path: CONFIG_PATH, doc: configDoc } : undefined,
    dropIns,
  });
  const files: Record<string, StatResult> = {};
  for (const [path, st] of Object.entries(spec.files ?? {})) files[path] = { path, exists: true, ...st };
  const facts: NodeFacts = {
    target: 'test node',
    mode: 'offline',
    privileged: true,
    kubelet: {
      ...(spec.missing
        ? { missing: spec.missing }
        : { invocation: { from: 'systemd-unit', argv, env: {}, flags: parsed.flags } }),
      version: spec.version ? { value: spec.version, source: 'test' } : undefined,
      configFile: configDoc ? CONFIG_PATH : undefined,
      dropIns: dropIns.map((d) => d.file),
      effective,
      diagnostics: [
        ...parsed.diagnostics,
        ...(configDoc?.diagnostics ?? []),
        ...dropIns.flatMap((d) => d.diagnostics),
        ...(spec.missing ? [] : refusalDiagnostics({ effective, flags: parsed.flags, version: spec.version })),
      ],
    },
    files,
    certificates: [],
    unreadable: [],
    kubeProxy: { present: false, source: 'no kube-proxy unit or process on this node' },
    now: '2026-11-23T00:00:00Z',
  };
  spec.patch?.(facts);
  return facts;
}

/** The single result of a check (fails the test if it returns several). */
export function one(check: Check, facts: NodeFacts): CheckResult {
  const r = check.evaluate(facts);
  if (Array.isArray(r)) {
    if (r.length !== 1) throw new Error(`${check.meta.id} returned ${r.length} results, expected 1`);
    return r[0]!;
  }
  return r;
}
