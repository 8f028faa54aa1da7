// Fixes as data (issue 12, item 1): a failing check proposes the changes that would close it, the
// fix engine plans and applies them (ESLint's pattern: the rule proposes, the engine applies). The
// prose remediation of a finding is written from its proposals (src/fix/describe.ts), never twice.
// Every path is a node path (under --root offline); lines are 1-based.
import type { SettingValue } from '../facts/types.ts';

export type FixProposal =
  /** Set a key of a YAML or JSON config file (the kubelet's --config, a --config-dir drop-in, kube-proxy's config). */
  | { kind: 'config-set'; file: string; path: string[]; value: SettingValue; line?: number }
  /**
   * Replace one word of the kubelet's command line where it is written: a unit or drop-in's
   * ExecStart=, an EnvironmentFile (/etc/default/kubelet's KUBELET_EXTRA_ARGS) or an Environment=.
   * `from` is the word as the kubelet gets it; `to` null removes it.
   */
  | { kind: 'flag-set'; file: string; line: number; flag: string; from: string; to: string | null }
  /** Add a word to the kubelet's command line, right after `after` (its last word) at file:line. */
  | { kind: 'flag-add'; file: string; line: number; after: string; flag: string; text: string }
  /** Create a file that does not exist yet (a --config-dir drop-in that sorts last, a --config file). */
  | { kind: 'dropin-create'; file: string; content: string; mode: number }
  /** Permission bits of a file or folder. */
  | { kind: 'mode'; file: string; mode: number }
  /** Owner of a file or folder. */
  | { kind: 'owner'; file: string; uid: number; gid: number; user: string; group: string }
  /**
   * Set (or, `value` absent, delete) a field of a static pod manifest: `path` from the document's
   * root, e.g. ['spec', 'containers', 0, 'command', 5]; an index equal to a sequence's length appends.
   * Also an item of another YAML file that starts the kubelet (k3s's config.yaml kubelet-arg), with
   * `restart: 'kubelet'` (a static pod manifest needs no restart).
   */
  | { kind: 'manifest-set'; file: string; path: Array<string | number>; value?: unknown; line?: number; restart?: Restart };

export type FixKind = FixProposal['kind'];

/** What a service needs before a change takes effect; the tool never restarts anything itself. */
export type Restart = 'kubelet' | 'static-pod' | 'kube-proxy';
