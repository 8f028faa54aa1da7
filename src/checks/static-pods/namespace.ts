// The namespace of a static pod (kubelet-facts §7): the kubelet runs the pod whatever its
// namespace, and reports it to the API server as a mirror pod; in a namespace that does not exist
// the mirror pod is refused, and the pod runs visible only on the node.
// What the node can tell: an empty namespace becomes "default" (common.go applyDefaults);
// default, kube-system and kube-public cannot be deleted (NamespaceLifecycle's immortal namespaces,
// k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle) and the API server re-creates them and
// kube-node-lease when missing (pkg/controlplane/controller/systemnamespaces). Whether any other
// namespace exists is not on the node: such pods are unknown here (the `cluster` command checks
// them), never passed. A namespace that is not a DNS-1123 label is refused by the kubelet's
// validation (ValidateObjectMeta), so such a manifest runs nothing: static-pod-manifest-decodes
// reports it.
import type { Check, CheckResult } from '../types.ts';
import { APPLIES, at, ev, podScope } from './common.ts';

const ALWAYS = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const staticPodNamespace: Check = {
  meta: {
    id: 'static-pod-namespace',
    // "exist", not "the API server sees them": a mirror pod can be refused for other reasons too
    // (NodeRestriction refuses one that references a Secret, a ConfigMap or a service account).
    title: 'Static pods are in namespaces that always exist (in a missing one the API server does not see them)',
    section: 'static-pods',
    severity: 'high',
    cis: [],
    rationale:
      'The kubelet runs a static pod in any namespace, then asks the API server to create its mirror pod. In a namespace that does not exist the mirror pod is refused: the pod runs, but kubectl, audit logs and every cluster-side tool never see it. Only default, kube-system, kube-public and kube-node-lease are sure to exist; any other namespace must be checked against the cluster.',
    remediation: 'Put the static pod in a namespace that exists (kube-system for node components), or create its namespace in the cluster; check with `kubelet-guard cluster` or `kubectl get pods -A -o wide | grep <node>` that its mirror pod is listed.',
  },
  evaluate(facts) {
    const scope = podScope(facts);
    if (scope.kind === 'done') return scope.results;
    const out: CheckResult[] = [];
    for (const ref of scope.pods) {
      const written = ref.pod.namespace;
      const line = (ref.pod as { lines?: { namespace?: number } }).lines?.namespace ?? ref.pod.line;
      const evidence = [ev(ref.manifest.path, line, written === '' ? 'metadata.namespace not set (the kubelet uses "default")' : `metadata.namespace: ${written}`)];
      if (ALWAYS.has(ref.ns)) {
        const how = written === '' ? 'no namespace is written, so the kubelet puts it in "default" (applyDefaults)' : `namespace ${ref.ns}`;
        out.push({ status: 'pass', subject: ref.subject, message: `pod ${ref.pod.name}: ${how}, which exists in every cluster (the API server creates it and keeps it)`, evidence });
        continue;
      }
      if (!(DNS1123_LABEL.test(ref.ns) && ref.ns.length <= 63)) {
        // The kubelet's own decoder refuses such a pod; evidence from elsewhere may still hold one.
        out.push({
          status: 'fail',
          severity: 'medium',
          subject: ref.subject,
          message: `pod ${ref.pod.name}: namespace "${ref.ns}" is not a valid namespace name (a DNS-1123 label); the kubelet's validation refuses such a pod`,
          evidence,
          remediation: `${at(ref.manifest.path, line)}: set metadata.namespace to an existing namespace (a DNS-1123 label, e.g. kube-system); ${APPLIES}.`,
        });
        continue;
      }
      out.push({
        status: 'unknown',
        subject: ref.subject,
        message: `pod ${ref.pod.name} is in namespace ${ref.ns}: whether it exists cannot be known from the node. If it does not, the kubelet runs the pod but the API server refuses its mirror pod, so it is invisible to the cluster; \`kubelet-guard cluster\` checks it`,
        evidence,
      });
    }
    return [...out, ...scope.gaps];
  },
};
