// A failure whose fix would edit a file the node's distribution writes again at boot (src/distros,
// `managed`, when 'boot': AKS, GKE, EKS) must not tell the user to edit that file: the change would
// be undone. The finding then has no proposal for `kubelet-guard fix`; its noFix and remediation say
// where the change belongs instead (the distribution's own input: user data, node pool configuration),
// with what the file itself would need kept as context. Checks stay unaware of distributions; this
// runs on their results, like the refusal note.
import type { NodeFacts } from '../facts/types.ts';
import { distributionNamed, managedFile } from '../distros/index.ts';
import type { CheckResult } from './types.ts';

export function withManagedFiles(facts: NodeFacts, r: CheckResult): CheckResult {
  if (r.status !== 'fail' || !r.fixes?.length || !facts.distribution) return r;
  const distro = distributionNamed(facts.distribution.name);
  if (!distro) return r;
  for (const p of r.fixes) {
    const m = managedFile(distro, p.file);
    if (m?.when !== 'boot') continue;
    const { fixes: _dropped, ...rest } = r;
    const where = `${p.file} is not the place to change it: ${m.why}`;
    return { ...rest, noFix: where, remediation: r.remediation ? `${where}. (On this node the change would be: ${r.remediation})` : `${where}.` };
  }
  return r;
}
