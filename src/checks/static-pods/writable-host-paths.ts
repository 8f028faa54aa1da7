// Writable hostPath mounts in static pods (kubelet-facts §7: static pods skip admission, so no
// Pod Security policy stops them). Any host path a container mounts without readOnly: true can be
// changed from the container. kubeadm's own read-write mounts (etcd's data and certificates, the
// controller manager's flexvolume folder) pass with a note.
import type { HostPathMount } from '../../facts/types.ts';
import type { Check, CheckResult } from '../types.ts';
import { APPLIES, at, expectedOf, hitsOf, hostPathEvidence, podName, podScope, sensitiveRoots } from './common.ts';

export const staticPodWritableHostPaths: Check = {
  meta: {
    id: 'static-pod-writable-host-paths',
    title: "Static pods mount host paths read-only, except kubeadm's own writable mounts",
    section: 'static-pods',
    severity: 'medium',
    cis: [],
    rationale:
      'A static pod is not checked by admission (Pod Security, policy webhooks), so nothing stops it from mounting host folders writable. A container that can write a host path can plant binaries, change configuration the node trusts, or fill the disk; with a folder above sensitive files it can replace them.',
    remediation: 'Add `readOnly: true` to every volumeMount of a hostPath volume that the container does not need to write; the kubelet applies the edited manifest by itself.',
  },
  evaluate(facts) {
    const scope = podScope(facts);
    if (scope.kind === 'done') return scope.results;
    const sockets = sensitiveRoots(facts).filter((r) => r.kind === 'runtime-socket');
    const out: CheckResult[] = [];
    for (const ref of scope.pods) {
      const before = out.length;
      for (const hp of ref.pod.hostPaths as HostPathMount[]) {
        const rw = hp.mounts.filter((m) => !m.readOnly);
        if (rw.length === 0) continue;
        const subject = `${ref.subject} (volume ${hp.volume})`;
        const evidence = hostPathEvidence(ref, hp);
        const exp = expectedOf(ref, hp);
        if (exp.ok) {
          out.push({ status: 'pass', subject, message: `${podName(ref)} mounts ${hp.path} writable, as kubeadm writes it for ${exp.component} (${exp.e.source})`, evidence });
          continue;
        }
        // A socket stays usable through a read-only mount: the fix is to remove it.
        const socket = hp.type === 'Socket' || hitsOf(hp, sockets).some((h) => h.relation === 'same');
        const fixes = rw.map((m) => `${at(ref.manifest.path, m.line)}: add \`readOnly: true\` to the volumeMount of \`${hp.volume}\` (${m.mountPath}) in container ${m.container}`);
        out.push({
          status: 'fail',
          subject,
          message: `${podName(ref)} mounts the host path ${hp.path} writable into ${rw.map((m) => `container ${m.container} at ${m.mountPath}`).join(', ')}${exp.near ? ` (${exp.near})` : ''}${socket ? '; it is a socket, which read-only does not protect (see static-pod-host-mounts)' : ''}`,
          evidence,
          remediation: socket
            ? `${at(ref.manifest.path, hp.line)}: remove the hostPath volume \`${hp.volume}\` (${hp.path}) and its volumeMounts; read-only does not protect a socket; ${APPLIES}.`
            : `${fixes.join('; ')}; or remove the hostPath volume \`${hp.volume}\` (${at(ref.manifest.path, hp.line).replace(/^In /, '')}) if the pod does not need it; ${APPLIES}.`,
        });
      }
      if (out.length === before) {
        const n = ref.pod.hostPaths.length;
        out.push({
          status: 'pass',
          subject: ref.subject,
          message: n === 0 ? `${podName(ref)} mounts no host path` : `${podName(ref)} mounts its ${n} host path${n > 1 ? 's' : ''} read-only (or not at all)`,
          evidence: [{ file: ref.manifest.path, ...(ref.pod.line ? { line: ref.pod.line } : {}), note: `pod ${ref.pod.name}` }],
        });
      }
    }
    return [...out, ...scope.gaps];
  },
};
