// Static pods that mount a way around the API server (kubelet-facts §7): a container runtime
// socket or any folder above one (a socket is reachable through a read-only mount too), the static
// pod folder (a file written there runs as a pod, without admission), or the credentials under
// /etc/kubernetes, /var/lib/kubelet and /var/lib/etcd — or a folder above those. kubeadm's own
// control-plane pods mount some of these by design; those mounts pass with a note.
import type { HostPathMount } from '../../facts/types.ts';
import type { Check, CheckResult, Severity } from '../types.ts';
import { APPLIES, at, expectedOf, hitsOf, hitWords, hostPathEvidence, mountWords, podName, podScope, sensitiveRoots, type Hit, type PodRef } from './common.ts';

export const staticPodHostMounts: Check = {
  meta: {
    id: 'static-pod-host-mounts',
    title: "Static pods mount the runtime socket, the static pod folder or cluster credentials only as kubeadm's own control-plane pods do",
    section: 'static-pods',
    severity: 'critical',
    emits: [
      { severity: 'high', when: 'the host path holds credentials or state but is neither a runtime socket nor a writable static pod folder' },
      { severity: 'low', when: 'no container mounts the hostPath volume now (any container added to the pod could)' },
    ],
    cis: [],
    rationale:
      'A static pod runs without API-server admission. A hostPath mount of the container runtime socket (or of any folder above it: /, /run, /var/run, /var) lets its containers start privileged containers on the node directly; a mount of the static pod folder lets them write new static pods; /etc/kubernetes, /var/lib/kubelet and /var/lib/etcd hold the cluster CA key, kubeconfigs, the kubelet\'s keys, every pod\'s Secrets and etcd\'s data. Read-only does not protect a socket: connecting to it needs no write access to the mount.',
    remediation: 'Remove the hostPath volume and its volumeMounts from the manifest in the static pod folder, or mount only the one file the pod needs, read-only; the kubelet applies the edited manifest by itself.',
  },
  evaluate(facts) {
    const scope = podScope(facts);
    if (scope.kind === 'done') return scope.results;
    const roots = sensitiveRoots(facts);
    const out: CheckResult[] = [];
    for (const ref of scope.pods) {
      const before = out.length;
      for (const hp of ref.pod.hostPaths as HostPathMount[]) {
        const hits = hitsOf(hp, roots);
        if (hits.length > 0) out.push(judge(ref, hp, hits));
      }
      if (out.length === before) {
        const n = ref.pod.hostPaths.length;
        out.push({
          status: 'pass',
          subject: ref.subject,
          message: `${podName(ref)} mounts ${n === 0 ? 'no host path' : `${n} host path${n > 1 ? 's' : ''} (${ref.pod.hostPaths.map((h) => h.path).join(', ')}), none of them`} a runtime socket, the static pod folder or cluster credentials`,
          evidence: [{ file: ref.manifest.path, ...(ref.pod.line ? { line: ref.pod.line } : {}), note: `pod ${ref.pod.name}` }],
        });
      }
    }
    return [...out, ...scope.gaps];
  },
};

function judge(ref: PodRef, hp: HostPathMount, hits: Hit[]): CheckResult {
  const subject = `${ref.subject} (volume ${hp.volume})`;
  const evidence = hostPathEvidence(ref, hp);
  const writable = hp.mounts.some((m) => !m.readOnly);
  const socket = hits.some((h) => h.root.kind === 'runtime-socket');
  const podDir = hits.some((h) => h.root.kind === 'static-pods');
  const what = hitWords(hits);
  const shown = `${hp.path}${hp.realPath ? ` (on the node ${hp.realPath})` : ''}`;

  // kubeadm's own mounts: never when they reach a socket or give write access to the pod folder.
  const exp = expectedOf(ref, hp);
  if (exp.ok && !socket && !(podDir && writable)) {
    return {
      status: 'pass',
      subject,
      message: `${podName(ref)} mounts ${shown}: ${what}; kubeadm writes this mount for ${exp.component} (${exp.e.source})${exp.e.readOnly ? '' : '; kubeadm mounts it writable'}`,
      evidence,
    };
  }

  let severity: Severity = socket || (podDir && writable) ? 'critical' : 'high';
  if (hp.mounts.length === 0) severity = 'low';
  const consequence = socket
    ? 'its containers can talk to the container runtime directly and start privileged containers on the node, bypassing the API server'
    : podDir && writable
      ? 'its containers can write new static pods, which the kubelet runs without admission'
      : 'its containers can read the credentials there (and change them where the mount is writable)';
  const unmounted = hp.mounts.length === 0 ? '; no container mounts it now, but any container added to the pod can' : '';
  const near = !exp.ok && exp.near ? ` (${exp.near})` : '';
  const mountLines = hp.mounts.map((m) => `container ${m.container}${m.line ? ` line ${m.line}` : ''}`).join(', ');
  const alt = socket ? '; mounting it read-only does not help: connecting to a socket needs no write access to the mount' : ', or mount only the one file the pod needs, read-only';
  const remediation =
    !exp.ok && exp.fix && !socket && !(podDir && writable)
      ? `${at(ref.manifest.path, exp.line ?? hp.line)}: ${exp.fix}; ${APPLIES}.`
      : `${at(ref.manifest.path, hp.line)}: remove the hostPath volume \`${hp.volume}\` (${hp.path})${hp.mounts.length > 0 ? ` and its volumeMount${hp.mounts.length > 1 ? 's' : ''} (${mountLines})` : ''}${alt}; ${APPLIES}.`;
  return {
    status: 'fail',
    severity,
    subject,
    message: `${podName(ref)} mounts the host path ${shown}: ${what}; ${consequence}${unmounted}. Mounts: ${mountWords(hp)}${near}`,
    evidence,
    remediation,
  };
}
