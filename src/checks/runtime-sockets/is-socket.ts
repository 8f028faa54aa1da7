// A runtime socket path that holds something else than a socket.
//
// Verdict: fail (medium), not unknown. The evidence is definite — there is no socket at that
// path — and what stands there is a finding of its own: a folder is what Docker and containerd's
// CRI plugin leave when a container is started with a bind mount (a hostPath) of a path that does
// not exist: they create the missing host path as a folder (containerd WithMounts: "Create the
// host path if it doesn't exist", MkdirAll 0755; the Kubernetes hostPath-type proposal says the
// same of Docker). So a folder at /var/run/docker.sock means a workload mounted the runtime
// socket path (a bypass, kubelet-facts §7) while no runtime listened there, and no runtime can
// create its socket there until it is removed. A regular file is a stale leftover or a copy.
// Either way the runtime, if it runs, listens somewhere else — which the access check then
// cannot see: it is unknown, not a pass.
import type { RuntimeSocketFact } from '../../facts/types.ts';
import type { Check, CheckResult } from '../types.ts';
import { isEndpoint, presentSockets, shellWord, socketEvidence } from './common.ts';

export function judgeIsSocket(s: RuntimeSocketFact): CheckResult {
  const subject = s.path;
  const evidence = [socketEvidence(s)];
  const st = s.stat;
  if (st.exists === null) return { status: 'unknown', subject, message: `${s.path} cannot be examined: ${st.error ?? 'stat failed'}`, evidence };
  if (st.type === 'socket') return { status: 'pass', subject, message: `${s.path} is a socket`, evidence };
  const endpoint = isEndpoint(s) ? " It is the kubelet's containerRuntimeEndpoint: the kubelet cannot reach its runtime through it." : '';
  const p = shellWord(s.path);
  if (st.type === 'dir') {
    return {
      status: 'fail',
      subject,
      message: `${s.path} is a folder, not a socket: the mark of a bind-mount accident — Docker and containerd create a missing bind-mount source as a folder, so a container was started with this path mounted (a runtime-socket mount) while no runtime listened here. No runtime can create its socket at this path now; the runtime may be elsewhere.${endpoint}`,
      evidence,
      remediation: `Find the pod or container that mounts ${s.path} (crictl inspect, or hostPath volumes in the pod specs) and remove that mount; then remove the folder (rmdir ${p}) and restart the runtime if it is meant to listen here.`,
    };
  }
  const what = st.type === 'file' ? 'a regular file' : `a ${st.type ?? 'file of unknown type'}`;
  return {
    status: 'fail',
    subject,
    message: `${s.path} is ${what}, not a socket: a stale file or a bind-mount accident; the runtime may be elsewhere.${endpoint}`,
    evidence,
    remediation: `Find out what wrote ${s.path}; remove it (rm ${p}) and restart the runtime if it is meant to listen here.`,
  };
}

export const runtimeSocketIsSocket: Check = {
  meta: {
    id: 'runtime-socket-is-socket',
    title: 'Runtime socket paths hold sockets',
    section: 'runtime-sockets',
    severity: 'medium',
    cis: [],
    rationale:
      "A folder or file where a runtime socket belongs is either a stale leftover or the trace of a container that mounted the runtime socket path while the runtime was not listening (the runtime then creates the missing path as a folder). Either way the runtime listens elsewhere, if at all, and this audit cannot judge that socket's permissions.",
    remediation: 'Remove the mount that created it, remove the folder or file, and let the runtime create its socket again.',
  },
  evaluate(facts) {
    const t = presentSockets(facts);
    if (t.kind === 'none') return t.result;
    // The endpoint that is missing or not a local socket is reported once, by runtime-socket-access.
    return t.present.map(judgeIsSocket);
  },
};
