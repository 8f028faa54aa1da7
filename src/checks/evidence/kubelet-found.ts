// Whether there is a kubelet to audit at all. "Nothing found" must never read as "all good": with no
// kubelet invocation every kubelet check is unknown, and this check says why, at high severity.
import type { Check, Evidence } from '../types.ts';

export const kubeletFound: Check = {
  meta: {
    id: 'kubelet-found',
    title: 'A kubelet was found on the node',
    section: 'kubelet-evidence',
    severity: 'high',
    cis: [],
    rationale:
      'Every other verdict rests on knowing how the kubelet is started. A scanner that finds no kubelet and then reports no failures hides an open kubelet API (anonymous access, AlwaysAllow, the read-only port) behind a clean report.',
    remediation:
      'Run kubelet-guard as root on the node itself (or point --root at a copy of its filesystem), or tell it where the kubelet unit or command line is.',
  },
  evaluate(facts) {
    const k = facts.kubelet;
    if (k.missing) return { status: 'unknown', message: k.missing };
    const inv = k.invocation;
    if (!inv) return { status: 'unknown', message: 'the evidence holds no kubelet invocation and no reason why' };
    const evidence: Evidence[] = [];
    const unit = inv.unit
      ? `unit ${inv.unit.file}${inv.unit.dropIns.length > 0 ? ` with ${inv.unit.dropIns.length} drop-in${inv.unit.dropIns.length > 1 ? 's' : ''}` : ''}`
      : undefined;
    const how: string[] = [];
    if (inv.from === 'process') how.push(`a running process${inv.pid !== undefined ? ` (pid ${inv.pid})` : ''}${unit ? `, started by its systemd ${unit}` : ''}`);
    else if (inv.from === 'systemd-unit') how.push(unit ? `its systemd ${unit}` : 'its systemd unit');
    else if (inv.from === 'distribution') how.push(`the files ${facts.distribution?.title ?? 'its distribution'} starts it from`);
    else how.push('a command line given by hand');
    if (inv.unit) {
      evidence.push({ file: inv.unit.file, note: 'kubelet unit file' });
      for (const d of inv.unit.dropIns) evidence.push({ file: d, note: 'kubelet unit drop-in' });
    }
    if (inv.pid !== undefined) evidence.push({ note: `pid ${inv.pid}` });
    if (k.version) evidence.push({ note: `kubelet ${k.version.value} (${k.version.source})` });
    return {
      status: 'pass',
      message: `kubelet found through ${how.join(', ')}; ${inv.flags.length} flag${inv.flags.length === 1 ? '' : 's'} on its command line${k.configFile ? `, --config ${k.configFile}` : ', no --config'}`,
      evidence,
    };
  },
};
