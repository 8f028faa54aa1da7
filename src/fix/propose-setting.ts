// Where a change to one kubelet setting goes (issue 12, item 2), by the kubelet's own precedence
// (kubelet-facts §5: flags over --config-dir drop-ins over the --config file over defaults):
//   - set by a flag: the flag, where it is written (a change to the files would change nothing);
//   - set by a drop-in: that drop-in (a change to --config would be overridden by it);
//   - set by (or defaulted in) the --config file: that file;
//   - nowhere, with a --config file: add it to that file (no drop-in sets it, or it would be the source);
//   - nowhere, without --config: add the flag after the command line's last word, where that word is
//     written (a config file created now would change the defaults of every other setting).
// Pure: everything comes from NodeFacts.
import type { NodeFacts, SettingValue } from '../facts/types.ts';
import { fieldByPath } from '../kubelet/kubelet-schema.ts';
import { showValue } from './describe.ts';
import type { FixProposal } from './types.ts';
import { distributionNamed, managedFile } from '../distros/index.ts';

export type SettingFix = { fixes: FixProposal[] } | { noFix: string };

/**
 * The change that makes `setting` take `want`. `flagWant` is the flag's value when it is written
 * otherwise than the config value (a list as `a,b`); '' removes the flag (the default is wanted).
 */
export function proposeSetting(facts: NodeFacts, setting: string, want: SettingValue, flagWant?: string): SettingFix {
  const k = facts.kubelet;
  const s = k.effective[setting];
  if (k.missing || !s) return { noFix: `${setting} cannot be known, so no change can be proposed` };
  if (s.unknown) return { noFix: `${setting} cannot be known (${s.unknown}), so no change can be proposed` };
  const flagOnly = setting.startsWith('--');
  const flag = flagOnly ? setting.slice(2) : fieldByPath(setting)?.flag;
  const flagText = flag ? `--${flag}=${flagWant ?? showValue(want)}` : undefined;
  const src = s.source;
  // k3s, RKE2: the kubelet's flags are built from the distribution's own config (kubelet-arg in its
  // config.yaml), not written as the kubelet sees them: say where they go; a setting of a drop-in the
  // distribution writes again at every start is overridden by a drop-in of the user's own after it.
  const distro = facts.distribution ? distributionNamed(facts.distribution.name) : undefined;
  const hint = distro?.flagHint;
  if (hint) {
    const text = flagText ?? setting;
    if (src.kind === 'flag') {
      // the deciding word is an item of the distribution's config.yaml: set that item, in its own style
      const word = src.file && src.line ? k.invocation?.argv.find((a) => a.file === src.file && a.line === src.line && a.yaml && a.text === src.detail) : undefined;
      const name = word?.yaml ? /^(--)?([^=]+)(=|$)/.exec(word.yaml.text) : null;
      if (word?.yaml && name && flagText) {
        const value = flagWant === '' ? undefined : `${name[1] ?? ''}${flagText.slice(2)}`;
        if (value !== undefined) return { fixes: [{ kind: 'manifest-set', file: src.file!, path: word.yaml.path, value, line: src.line!, restart: 'kubelet' }] };
      }
      return { noFix: hint.replace('{flag}', text) };
    }
    // a word the distribution passes itself: the user's kubelet-arg of that flag replaces it (k3s GetArgs)
    if (src.kind === 'distribution-default') return { noFix: `${src.detail ?? setting}; a kubelet-arg of the same flag replaces it: ${hint.replace('{flag}', text)}` };
    const boot = src.file && distro && managedFile(distro, src.file)?.when === 'boot';
    if ((boot || src.kind === 'flag-default' || (src.kind === 'config-default' && !k.configFile)) && !flagOnly && k.configDir) {
      const file = lastDropIn(k.configDir, k.dropIns);
      if (!k.dropIns.includes(file)) return { fixes: [{ kind: 'dropin-create', file, content: DROP_IN_HEADER, mode: 0o600 }, configSet(file, setting, want)] };
      return { fixes: [configSet(file, setting, want)] };
    }
    if (src.kind === 'flag-default' || boot) return { noFix: hint.replace('{flag}', text) };
  }
  switch (src.kind) {
    case 'configz':
      return { noFix: 'read from the live configz through the API server: fix the node itself (kubelet-guard fix on the node)' };
    case 'flag': {
      if (!src.file || !src.line || !src.detail) {
        return { noFix: `the flag ${src.detail ?? setting} is on the running kubelet's command line, not in a file this audit found (its unit gives another command line): fix its unit, then restart it` };
      }
      const name = flag ?? src.detail.replace(/^--?([^=\s]+).*$/, '$1');
      return { fixes: [{ kind: 'flag-set', file: src.file, line: src.line, flag: name, from: src.detail, to: flagWant === '' ? null : (flagText ?? `--${name}=${showValue(want)}`) }] };
    }
    case 'drop-in':
    case 'config-file':
    case 'config-default':
      if (src.file && !flagOnly) return { fixes: [configSet(src.file, setting, want, src.kind === 'config-default' ? undefined : src.line)] };
      break;
    case 'flag-default':
      break;
  }
  // Nothing sets it: the smallest change that does.
  if (flagOnly && flagWant === '') return { noFix: `${setting} is not set` };
  if (!flagOnly && k.configFile) return { fixes: [configSet(k.configFile, setting, want)] };
  if (flagText && flag) {
    const last = k.invocation?.argv.at(-1);
    if (!last?.file || !last.line) return { noFix: `the kubelet's command line is not in a file this audit found: add \`${flagText}\` to it by hand` };
    return { fixes: [{ kind: 'flag-add', file: last.file, line: last.line, after: last.text, flag, text: flagText }] };
  }
  if (!flagOnly && k.configDir) {
    // a whole KubeletConfiguration document (kubelet-facts §5.3), named to sort after every other
    const file = lastDropIn(k.configDir, k.dropIns);
    return { fixes: [{ kind: 'dropin-create', file, content: DROP_IN_HEADER, mode: 0o600 }, configSet(file, setting, want)] };
  }
  return { noFix: `the kubelet has no --config file and ${setting} has no flag: it can only be set by creating a config file, which changes the defaults of every other setting (the kubelet's flag defaults are not its config file's); create one by hand and re-run the audit` };
}

/**
 * The drop-in kubelet-guard creates in --config-dir, named to be applied last: the kubelet walks the
 * folder in lexical (bytewise) order; `~` sorts after letters and digits.
 */
export function lastDropIn(dir: string, existing: readonly string[]): string {
  const base = dir.replace(/\/+$/, '');
  const rel = existing.filter((p) => p.startsWith(`${base}/`)).map((p) => Buffer.from(p.slice(base.length + 1)));
  const name = ['99-kubelet-guard.conf', 'zz-kubelet-guard.conf', '~kubelet-guard.conf'].find((n) => rel.every((r) => Buffer.compare(Buffer.from(n), r) > 0)) ?? '~~kubelet-guard.conf';
  return `${base}/${name}`;
}
export const DROP_IN_HEADER = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

function configSet(file: string, setting: string, value: SettingValue, line?: number): FixProposal {
  return { kind: 'config-set', file, path: setting.split('.'), value, ...(line ? { line } : {}) };
}
