// Static pods sharing the host's namespaces (kubelet-facts §7: no admission stops them).
// hostPID shows every process on the node (and their environment, to root in the pod); hostIPC
// shares the host's IPC objects; hostNetwork puts the pod on the node's network stack, in reach of
// everything that listens on 127.0.0.1. kubeadm's control-plane pods use hostNetwork by design
// (staticpod.ComponentPod sets HostNetwork: true): that passes with a note.
import type { PodFact } from '../../facts/types.ts';
import type { Check, CheckResult, Severity } from '../types.ts';
import { APPLIES, at, ev, kubeadmComponent, podName, podScope } from './common.ts';

const RANK: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const LABEL = { hostPID: 'PID', hostIPC: 'IPC', hostNetwork: 'network' } as const;

export const staticPodHostNamespaces: Check = {
  meta: {
    id: 'static-pod-host-namespaces',
    title: "Static pods do not share the host PID, IPC or network namespace (kubeadm's control-plane pods excepted for the network)",
    section: 'static-pods',
    severity: 'high',
    emits: [
      { severity: 'medium', when: "the pod shares only the host's IPC or network namespace (no hostPID)" },
    ],
    cis: [],
    rationale:
      'hostPID lets a pod see (and, as root with ptrace, enter) every process on the node and read their environment; hostIPC shares the host\'s shared memory and semaphores; hostNetwork puts the pod on the node\'s network, where every 127.0.0.1 listener (the kubelet\'s healthz, etcd\'s metrics, local admin ports) is in reach. Static pods get no admission, so Pod Security does not stop these.',
    remediation: 'Remove hostPID, hostIPC and hostNetwork from the pod spec unless the pod truly needs them; the kubelet applies the edited manifest by itself.',
  },
  evaluate(facts) {
    const scope = podScope(facts);
    if (scope.kind === 'done') return scope.results;
    const out: CheckResult[] = [];
    for (const ref of scope.pods) {
      const pod = ref.pod as PodFact;
      const comp = kubeadmComponent(pod);
      const found: Array<{ field: 'hostPID' | 'hostIPC' | 'hostNetwork'; severity: Severity; why: string }> = [];
      if (pod.hostPID) found.push({ field: 'hostPID', severity: 'high', why: 'it sees every process on the node' });
      if (pod.hostIPC) found.push({ field: 'hostIPC', severity: 'medium', why: "it shares the host's IPC objects" });
      const notes: string[] = [];
      if (pod.hostNetwork) {
        if (comp) notes.push(`hostNetwork is expected: kubeadm runs ${comp.name} on the host network (staticpod.ComponentPod)`);
        else found.push({ field: 'hostNetwork', severity: 'medium', why: "it is on the node's network, with every 127.0.0.1 listener in reach" });
      }
      const evidence = [ev(ref.manifest.path, ref.pod.line, `pod ${pod.name}: hostNetwork ${pod.hostNetwork}, hostPID ${pod.hostPID}, hostIPC ${pod.hostIPC}`)];
      if (found.length === 0) {
        out.push({ status: 'pass', subject: ref.subject, message: `${podName(ref)} shares no host namespace${notes.length ? '' : ' (no hostPID, hostIPC or hostNetwork)'}${notes.length ? ` other than the network: ${notes.join('; ')}` : ''}`, evidence });
        continue;
      }
      const severity = RANK.find((s) => found.some((f) => f.severity === s))!;
      for (const f of found) {
        const line = pod.lines?.[f.field];
        evidence.push(ev(ref.manifest.path, line ?? ref.pod.line, `${f.field}: true`));
      }
      out.push({
        status: 'fail',
        severity,
        subject: ref.subject,
        message: `${podName(ref)} shares the host's ${found.map((f) => `${LABEL[f.field]} namespace (${f.field}: ${f.why})`).join(', ')}${notes.length ? `; ${notes.join('; ')}` : ''}`,
        evidence,
        remediation: `${found.map((f) => `${at(ref.manifest.path, pod.lines?.[f.field] ?? ref.pod.line)}: remove \`${f.field}: true\``).join('; ')} from the spec of pod ${pod.name}; ${APPLIES}.`,
      });
    }
    return [...out, ...scope.gaps];
  },
};
