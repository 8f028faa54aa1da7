// Who can change what the kubelet runs without the API server (kubelet-facts §7): the static pod
// folder and every manifest in it, in the manner of CIS 1.1.1–1.1.8 (kubeadm writes the folder
// 0700 and each manifest 0600, cmd/kubeadm/app/util/staticpod WriteStaticPodToDisk):
// - a manifest the kubelet reads: mode 600 or stricter, owner root:root;
// - the folder: not writable by group or others, owner root:root.
// Entries the kubelet never reads (names starting with ".", sub-folders, sockets and FIFOs) are not
// judged: making one live takes a rename or a new file in the folder, which the folder's own result
// covers. A symlinked manifest is judged by its target, the file the kubelet reads.
import { describeFixes } from '../../fix/describe.ts';
import type { FixProposal } from '../../fix/types.ts';
import type { StatResult } from '../../sources/root-fs.ts';
import type { ManifestFact } from '../../facts/types.ts';
import { excessWords, octal } from '../files/file-stat.ts';
import type { Check, CheckResult, Evidence, Severity } from '../types.ts';
import { folderScope } from './common.ts';

export const staticPodManifestPerms: Check = {
  meta: {
    id: 'static-pod-manifest-perms',
    // The folder and its manifests themselves; their parent folders and a symlink's target folder
    // are not judged, so the title does not claim "only root can change them".
    title: 'The static pod folder and its manifests are owned by root:root and writable by no one else (manifests 600)',
    section: 'static-pods',
    severity: 'high',
    emits: [
      { severity: 'medium', when: 'the manifest or folder is owned by root and writable by no one else; only others or a group can read it' },
    ],
    cis: [],
    rationale:
      'The kubelet runs whatever pod a file in its static pod folder describes, privileged and host-mounted ones included, without the API server: whoever can write a manifest or the folder is root on the node. Manifests can also hold secrets in flags, so others should not read them. kubeadm writes the folder 0700 and each manifest 0600, owned by root (CIS 1.1.1–1.1.8 ask this of the control-plane manifests).',
    remediation: 'chown root:root the static pod folder and its manifests; chmod 600 each manifest; chmod go-w the folder.',
  },
  evaluate(facts) {
    const f = folderScope(facts);
    if (f.kind === 'done') return f.results;
    const { sp } = f;
    const out: CheckResult[] = [];
    const single = sp.stat?.type === 'file';
    if (!single) out.push(judgeFolder(sp.path, sp.stat, sp.manifests.filter((m) => m.ignored).length));
    for (const m of sp.manifests as ManifestFact[]) {
      if (m.ignored) continue;
      out.push(judgeFile(m));
    }
    if (sp.unknown) out.push({ status: 'unknown', subject: sp.path, message: `not every entry was examined: ${sp.unknown}` });
    return out;
  },
};

function noteOf(st: StatResult): string {
  return `${st.mode === undefined ? 'mode unknown' : `mode ${octal(st.mode)}`}, ${st.uid === undefined || st.gid === undefined ? 'owner unknown' : `owner ${st.uid}:${st.gid}`}`;
}

function unknownOf(st: StatResult | undefined, p: string, role: string): CheckResult | undefined {
  if (!st) return { status: 'unknown', subject: p, message: `${p} (${role}) was not examined: the evidence holds no stat of it` };
  if (st.exists === null) return { status: 'unknown', subject: p, message: `${p} (${role}) cannot be examined: ${st.error ?? 'stat failed'}`, evidence: [{ file: p, note: st.error ?? 'stat failed' }] };
  if (st.exists === false) return { status: 'unknown', subject: p, message: `${p} (${role}) vanished while it was examined` };
  if (st.mode === undefined || st.uid === undefined || st.gid === undefined) return { status: 'unknown', subject: p, message: `${p} (${role}): the evidence holds no mode or owner for it`, evidence: [{ file: p, note: noteOf(st) }] };
  return undefined;
}

function judgeFolder(p: string, st: StatResult | undefined, ignored: number): CheckResult {
  const role = 'static pod folder';
  const u = unknownOf(st, p, role);
  if (u) return u;
  const s = st as Required<Pick<StatResult, 'mode' | 'uid' | 'gid'>> & StatResult;
  const evidence: Evidence[] = [{ file: p, note: noteOf(s) }];
  const skipped = ignored > 0 ? `; ${ignored} entr${ignored > 1 ? 'ies' : 'y'} the kubelet never reads (dot files, sub-folders) ${ignored > 1 ? 'are' : 'is'} not judged` : '';
  const problems: string[] = [];
  const fixes: FixProposal[] = [];
  const writable = (s.mode & 0o022) !== 0;
  if (writable) {
    problems.push(`mode ${octal(s.mode)}: ${excessWords(s.mode, s.mode & ~0o022)}, so they can add or replace manifests`);
    fixes.push({ kind: 'mode', file: p, mode: s.mode & ~0o022 });
  }
  const owner = s.uid !== 0 || s.gid !== 0;
  if (owner) {
    problems.push(`owner ${s.uid}:${s.gid}, not root:root${s.uid !== 0 ? `: user ${s.uid} can write in it` : `: group ${s.gid} is not root`}`);
    fixes.push({ kind: 'owner', file: p, uid: 0, gid: 0, user: 'root', group: 'root' });
  }
  if (problems.length === 0) return { status: 'pass', subject: p, message: `${p} (${role}) has mode ${octal(s.mode)} and owner root:root: only root can add or replace manifests${skipped}`, evidence };
  const severity: Severity = writable || s.uid !== 0 ? 'high' : 'medium';
  return { status: 'fail', severity, subject: p, message: `${p} (${role}): ${problems.join('; ')}${skipped}`, evidence, fixes, remediation: describeFixes(fixes) };
}

function judgeFile(m: ManifestFact): CheckResult {
  const role = `static pod manifest${m.linkTarget ? `, a symlink to ${m.linkTarget}` : ''}`;
  const u = unknownOf(m.stat, m.path, role);
  if (u) return u;
  const s = m.stat as Required<Pick<StatResult, 'mode' | 'uid' | 'gid'>> & StatResult;
  const target = m.linkTarget ?? m.path;
  const evidence: Evidence[] = [{ file: m.path, note: `${noteOf(s)}${m.linkTarget ? ` (of the target ${m.linkTarget})` : ''}` }];
  const problems: string[] = [];
  const fixes: FixProposal[] = [];
  const excess = s.mode & ~0o600;
  if (excess !== 0) {
    problems.push(`mode ${octal(s.mode)}: ${excessWords(s.mode, 0o600)}; 600 or stricter is wanted`);
    fixes.push({ kind: 'mode', file: target, mode: s.mode & 0o600 });
  }
  if (s.uid !== 0 || s.gid !== 0) {
    problems.push(`owner ${s.uid}:${s.gid}, not root:root${s.uid !== 0 ? `: user ${s.uid} can rewrite it` : ''}`);
    fixes.push({ kind: 'owner', file: target, uid: 0, gid: 0, user: 'root', group: 'root' });
  }
  const linkNote = m.linkTarget ? `; the kubelet reads the target ${m.linkTarget}, whose folders must be protected as well` : '';
  if (problems.length === 0) return { status: 'pass', subject: m.path, message: `${m.path} (${role}) has mode ${octal(s.mode)} and owner root:root${linkNote}`, evidence };
  const severity: Severity = (s.mode & 0o022) !== 0 || s.uid !== 0 ? 'high' : 'medium';
  return { status: 'fail', severity, subject: m.path, message: `${m.path} (${role}): ${problems.join('; ')}${linkNote}`, evidence, fixes, remediation: describeFixes(fixes) };
}
