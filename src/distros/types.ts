// A distribution as data: how it ships the kubelet (where it runs, where its flags come from, what
// it sets itself, which files it writes again), how to recognise it on a node, and which benchmark
// numbers its checks. Sources read this; checks never ask which distribution a node runs.
import type { Diagnostic, KubeletInvocation } from '../facts/types.ts';
import type { RootFs } from '../sources/root-fs.ts';

export type DistroName =
  | 'kubeadm' | 'kind' | 'k3s' | 'rke2' | 'microk8s' | 'aks' | 'gke' | 'eks-al2' | 'eks-al2023'
  | 'bottlerocket' | 'openshift' | 'talos' | 'generic';

/** Something on a node that shows the distribution. Any one mark is enough; the registry's order decides between distributions. */
export type Mark =
  /**
   * a node path that exists (file, folder or symlink); with `pattern`, a file whose text (its first
   * 64 KiB) matches it, e.g. /etc/os-release with ID=bottlerocket
   */
  | { file: string; pattern?: RegExp }
  /** live: a running process whose argv[0] basename is this */
  | { process: string }
  /** a systemd unit of this name in the system unit search path */
  | { unit: string }
  /** a Debian package installed (/var/lib/dpkg/status) */
  | { dpkg: string };

/** Where the distribution's version is written on a node: the first that answers wins. */
export type VersionSource =
  /** the first capture group of `pattern` in the file's text */
  | { file: string; pattern: RegExp }
  /** the first capture group of `pattern` in the target of the symlink `link` (RKE2's bin -> data/v1.33.4-rke2r1-<hash>/bin) */
  | { link: string; pattern: RegExp }
  | { dpkg: string };

/** A file the distribution (or its installer) writes again: a change there does not last. */
export interface ManagedFile {
  /** node paths; a path ending in `/` covers everything below it */
  paths: string[];
  /** 'boot': rewritten at every start (a fix there is refused); 'upgrade': rewritten on upgrade (the fix is made, with a note) */
  when: 'boot' | 'upgrade';
  /** who writes it and where the change belongs instead */
  why: string;
  /**
   * For one change the file would need, where it belongs instead, in words (the distribution's
   * setting for that key, with the command; or that none exists). Appended to `why` wherever a
   * change to the file is refused or explained.
   */
  instead?: (c: ManagedChange) => string;
}

/** A change a fix would make to a managed file. */
export interface ManagedChange {
  /** a kubelet config key as the effective config names it ("readOnlyPort", "authentication.anonymous.enabled") */
  key?: string;
  /** a kubelet flag, without dashes ("hostname-override") */
  flag?: string;
  /** the value wanted (absent: removed, or a mode/owner change) */
  value?: unknown;
  /** a mode or owner change */
  meta?: 'mode' | 'owner';
}

/** Fields of a Node object, each a pattern it must match; a label must be present. */
export interface NodeObjectMark {
  providerID?: RegExp;
  kubeletVersion?: RegExp;
  osImage?: RegExp;
  label?: string;
  /** an annotation that must be present (kubeadm's kubeadm.alpha.kubernetes.io/cri-socket) */
  annotation?: string;
}

export interface LaunchContext {
  fs: RootFs;
  live: boolean;
  /** live: the kubelet as its files would start it, not the running process (what `fix` changes and proves) */
  fromFiles: boolean;
  /** the kubelet version the user gave (--kubelet-version), for models whose words depend on it */
  kubeletVersion?: string;
}

/** How the distribution starts its kubelet, as read from a node. */
export interface Launch {
  invocation?: KubeletInvocation;
  diagnostics: Diagnostic[];
  /** part of the command line could not be read: any setting may be overridden by a flag not seen */
  hidden?: string;
  /** why no kubelet command line was found */
  missing?: string;
  /** the kubelet's version where the distribution shows it (k3s v1.31.4+k3s1 runs kubelet 1.31.4) */
  kubeletVersion?: { value: string; source: string };
  /**
   * Settings whose value depends on a word the model cannot tell is there (k3s passes
   * --read-only-port=0 only from v1.32.4): each is unknown, with this reason, unless a flag seen on
   * the command line sets it.
   */
  unsure?: Array<{ setting: string; why: string }>;
}

/** Reads the kubelet's command line the way the distribution builds it. */
export type LaunchModel = (ctx: LaunchContext) => Launch;

export interface Distribution {
  name: DistroName;
  /** as its makers write it: "K3s", "Amazon EKS (Amazon Linux 2)" */
  title: string;
  /** where its kubelet runs */
  runs: 'process' | 'embedded' | 'child' | 'container';
  /** how its kubelet's command line is read */
  launch: LaunchModel;
  /** what shows it on a node (any one) */
  marks: Mark[];
  version?: VersionSource[];
  /** files it writes again, and where a change belongs instead */
  managed?: ManagedFile[];
  /**
   * How a Node object shows it to `kubelet-guard cluster` (status.nodeInfo, spec.providerID,
   * labels): the first entry whose every field matches names the platform of that node.
   */
  nodeObject?: NodeObjectMark[];
  /** where the distribution's kubelet build behaves otherwise than upstream's, as the audit models it */
  kubelet?: {
    /** 'warn': a feature gate the kubelet does not know is warned about and ignored, not refused */
    unknownFeatureGates?: 'warn';
    /** feature gate defaults that differ from upstream's (read from the distribution's kubelet source) */
    gateDefaults?: Readonly<Record<string, boolean>>;
  };
  /**
   * Where a kubelet flag belongs when the kubelet's command line is built by the distribution from
   * its own configuration (no file holds the flag word as the kubelet sees it): `{flag}` stands for
   * the flag text, e.g. "add `{flag}` to kubelet-arg in /etc/rancher/k3s/config.yaml and restart k3s".
   */
  flagHint?: string;
  /** how the kubelet is restarted when it is not kubelet.service (k3s: the k3s unit, which runs it) */
  restart?: string;
  /** the benchmark profile chosen by default (src/profiles) */
  benchmark: string;
  /** the files of the distribution's own sources this data was read from (repository and path) */
  sources: string[];
}

/** What the node audit found: which distribution, its version, and why. */
export interface DistributionFact {
  name: DistroName;
  title: string;
  version?: { value: string; source: string };
  /** the marks found, in words ("/etc/rancher/k3s/config.yaml exists"), or "--distribution k3s" */
  evidence: string[];
  /** chosen by --distribution, not detected */
  overridden?: boolean;
}
