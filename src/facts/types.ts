// Facts: plain, JSON-able data gathered by sources and judged by checks. A live node, an offline
// root and (later) a remote probe or the API server produce the same shapes, so one check serves all.
import type { StatResult } from '../sources/root-fs.ts';

/** Where a value came from. `file` and `line` (1-based) where its text is in a file. */
export interface Provenance {
  kind: 'flag' | 'config-file' | 'drop-in' | 'flag-default' | 'config-default' | 'configz';
  file?: string;
  line?: number;
  /** e.g. the flag text `--read-only-port=10255`, or "the file writes 0s; the defaulter replaces zero". */
  detail?: string;
}

export type SettingValue = boolean | number | string | string[] | Record<string, unknown> | null;

/** One setting of the effective configuration. `unknown` says why the value cannot be known. */
export interface EffectiveSetting {
  value: SettingValue;
  source: Provenance;
  unknown?: string;
}

/** Keyed by setting: a v1beta1 JSON path, or a flag (`--hostname-override`) for flag-only settings. */
export type EffectiveConfig = Record<string, EffectiveSetting>;

/** One word of the kubelet's argv with where its text was written. */
export interface Arg {
  text: string;
  file?: string;
  line?: number;
  /** how it got there, e.g. `$KUBELET_EXTRA_ARGS from /etc/default/kubelet`. */
  via?: string;
}

/** A flag after pflag parsing. */
export interface ParsedFlag {
  name: string; // without dashes, normalized (underscores → dashes)
  value: string; // "true" for a bare bool flag
  text: string; // as written, e.g. `--read-only-port=0`
  file?: string;
  line?: number;
}

/** Something the evidence says that a check should report (a file the kubelet would refuse, …). */
export interface Diagnostic {
  code: string; // stable, e.g. `config-invalid`, `dropin-invalid`, `unit-parse`, `flag-invalid`
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  message: string;
  file?: string;
  line?: number;
  /** whether the kubelet would refuse to start with this evidence. */
  fatal?: boolean;
}

export interface KubeletInvocation {
  /** how it was found: a running process, or the systemd unit that would start it. */
  from: 'process' | 'systemd-unit' | 'manual';
  pid?: number;
  argv: Arg[];
  /** environment of the process (names only are kept for secrets' sake, values redacted by reporters). */
  env: Record<string, string>;
  unit?: { file: string; dropIns: string[] };
  flags: ParsedFlag[];
}

export interface CertificateFact {
  path: string;
  role: 'serving' | 'client' | 'client-ca';
  stat: StatResult;
  error?: string;
  subject?: string;
  issuer?: string;
  selfSigned?: boolean;
  notBefore?: string; // ISO 8601
  notAfter?: string;
  keyType?: string;
  keyBits?: number;
  sans?: string[];
  /** how the kubelet came to use it: `tlsCertFile`, `self-signed in cert dir`, `rotated server certificate`, … */
  origin: string;
  /** the private key's file (the same file for a combined PEM), for mode checks; never its content */
  key?: StatResult;
  /** further certificates in the same PEM (intermediates), same fields as above */
  chain?: Array<Pick<CertificateFact, 'subject' | 'issuer' | 'notBefore' | 'notAfter' | 'selfSigned' | 'keyType' | 'keyBits'>>;
}

export interface KubeProxyFacts {
  /** whether kube-proxy runs from this node's own files (a systemd unit or a process) */
  present: boolean;
  /** where its settings were found (unit file, process), or why there is no evidence */
  source?: string;
  metricsBindAddress?: { value: string; source: Provenance };
  /** node path of its --kubeconfig, stat'd in NodeFacts.files */
  kubeconfig?: string;
  /** why its settings cannot be known (a config file unreadable, …) */
  unknown?: string;
}

export interface KubeletFacts {
  invocation?: KubeletInvocation;
  /** why there is no invocation (not found, not root, …). */
  missing?: string;
  /** the kubelet version where known, with its source. */
  version?: { value: string; source: string };
  configFile?: string; // node path of --config
  configDir?: string; // node path of --config-dir
  dropIns: string[];
  effective: EffectiveConfig;
  diagnostics: Diagnostic[];
}

export interface NodeFacts {
  target: string; // "live node" or the --root folder
  mode: 'live' | 'offline';
  /** whether the evidence could be read fully (live mode needs root). */
  privileged: boolean;
  privilegeNote?: string;
  /** node paths the audit was refused (EACCES, EPERM) */
  unreadable: string[];
  kubelet: KubeletFacts;
  /** stat of every file a check may ask about, keyed by node path (absent: not examined). */
  files: Record<string, StatResult>;
  certificates: CertificateFact[];
  kubeProxy: KubeProxyFacts;
  /** current time, so checks stay pure (certificate expiry). */
  now: string;
}
