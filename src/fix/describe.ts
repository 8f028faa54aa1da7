// The prose of a fix, written from its proposals (issue 12, item 1: never written twice). Each
// proposal reads as an instruction a person could follow by hand; `kubelet-guard fix` does the same.
import type { SettingValue } from '../facts/types.ts';
import type { FixProposal, Restart } from './types.ts';

/** A path as a shell word: as is when safe, else single-quoted. */
export function shellWord(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

export function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** A value as the YAML a person would write: strings bare (quoted when empty), the rest as JSON. */
export function showValue(v: SettingValue | unknown): string {
  return typeof v === 'string' ? (v === '' ? '""' : v) : JSON.stringify(v);
}

function at(file: string, line?: number): string {
  return `In ${file}${line ? ` line ${line}` : ''}`;
}

/** A field path as written in docs: spec.containers[0].command[5]. */
export function fieldPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function describeFix(p: FixProposal): string {
  switch (p.kind) {
    case 'config-set':
      return `${p.line ? `${at(p.file, p.line)}:` : `In ${p.file},`} set \`${p.path.join('.')}\` to \`${showValue(p.value)}\``;
    case 'flag-set':
      return p.to === null ? `${at(p.file, p.line)}: remove \`${p.from}\`` : `${at(p.file, p.line)}: replace \`${p.from}\` with \`${p.to}\``;
    case 'flag-add':
      return `${at(p.file, p.line)}: add \`${p.text}\` after \`${p.after}\``;
    case 'dropin-create':
      return `Create ${p.file} (mode ${octal(p.mode).replace(/^0/, '')}) holding:\n${p.content.trimEnd()}`;
    case 'mode':
      return `chmod ${octal(p.mode).replace(/^0/, '')} ${shellWord(p.file)}`;
    case 'owner':
      return `chown ${p.user}:${p.group} ${shellWord(p.file)}`;
    case 'manifest-set':
      return p.value === undefined
        ? `${at(p.file, p.line)}: delete \`${fieldPath(p.path)}\``
        : `${at(p.file, p.line)}: set \`${fieldPath(p.path)}\` to \`${showValue(p.value)}\``;
  }
}

/** What must happen before the changes take effect (the tool never restarts anything itself). */
export function restartsOf(fixes: readonly FixProposal[]): Restart[] {
  const out = new Set<Restart>();
  for (const f of fixes) {
    if (f.kind === 'flag-set' || f.kind === 'flag-add' || f.kind === 'config-set' || f.kind === 'dropin-create') out.add(f.file.includes('kube-proxy') ? 'kube-proxy' : 'kubelet');
    else if (f.kind === 'manifest-set') out.add(f.restart ?? 'static-pod');
  }
  return [...out];
}

/** How the kubelet is restarted where no distribution says otherwise (Distribution.restart). */
export const KUBELET_RESTART = 'restart the kubelet (systemctl daemon-reload && systemctl restart kubelet)';

export function describeRestart(r: readonly Restart[], kubelet = KUBELET_RESTART): string {
  const words: string[] = [];
  // daemon-reload first: a changed unit or drop-in is only read then (harmless when none changed)
  if (r.includes('kubelet')) words.push(kubelet);
  if (r.includes('kube-proxy')) words.push('restart kube-proxy (systemctl daemon-reload && systemctl restart kube-proxy, or its pods)');
  if (r.includes('static-pod')) words.push('the kubelet restarts a static pod by itself when its manifest changes');
  return words.length > 0 ? `${words.join('; ')}.` : '';
}

/** The remediation of a result, from its proposals: each change, then what must restart. */
export function describeFixes(fixes: readonly FixProposal[], kubeletRestart?: string): string {
  const restart = describeRestart(restartsOf(fixes), kubeletRestart);
  return `${fixes.map(describeFix).join('; ')}${restart ? `; then ${restart}` : ''}`;
}
