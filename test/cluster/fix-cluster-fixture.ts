// The cluster of the `fix --cluster` tests (and the README's sample): a metrics agent bound to a role
// with nodes/proxy, a user whose need cannot be told, the API server's kubelet client and a system
// role left alone, an aggregated role whose source carries nodes/proxy, namespaces without labels.
import type { ApiServerSimSpec } from './apiserver-sim.ts';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const crb = (name: string, role: string, subjects: object[]) => ({ metadata: { name }, roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role }, subjects });
const sa = (namespace: string, name: string) => ({ kind: 'ServiceAccount', name, namespace });
const user = (name: string) => ({ kind: 'User', apiGroup: RBAC_GROUP, name });

export const PROMETHEUS_ROLE = {
  metadata: { name: 'prometheus-k8s', labels: { 'app.kubernetes.io/name': 'prometheus' }, annotations: { 'example.com/owner': 'observability team' } },
  rules: [
    { apiGroups: [''], resources: ['nodes', 'nodes/proxy', 'nodes/metrics', 'services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
    { nonResourceURLs: ['/metrics'], verbs: ['get'] },
  ],
};

export function fixClusterSpec(more: Partial<ApiServerSimSpec> = {}): ApiServerSimSpec {
  return {
    nodes: 2, podsPerNode: 3, bindings: 0, namespaces: 5, kubeletVersion: 'v1.33.2', configz: () => 'ok', writable: true,
    // ns-2 enforces restricted already; default runs pod-0 (hostNetwork, privileged, hostPath)
    namespaceLabels: (k): Record<string, string> => (k === 2 ? { 'pod-security.kubernetes.io/enforce': 'restricted' } : k === 4 ? { team: 'web' } : {}),
    extra: {
      '/apis/rbac.authorization.k8s.io/v1/clusterroles': [
        PROMETHEUS_ROLE,
        { metadata: { name: 'ops-debug' }, rules: [{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get', 'create'] }] },
        // aggregated: its stored rules are the controller's copy of its source's
        { metadata: { name: 'monitoring-view' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }] },
          rules: [{ apiGroups: [''], resources: ['nodes/proxy', 'nodes/stats'], verbs: ['get'] }] },
        { metadata: { name: 'kubelet-stats-source', labels: { 'example.com/aggregate-to-monitoring': 'true' } },
          rules: [{ apiGroups: [''], resources: ['nodes/proxy', 'nodes/stats'], verbs: ['get'] }] },
      ],
      '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings': [
        crb('prometheus-k8s', 'prometheus-k8s', [sa('monitoring', 'prometheus-k8s')]),
        crb('ops-debug', 'ops-debug', [user('alice@example.com')]),
        crb('grafana-agent', 'monitoring-view', [sa('grafana', 'grafana-agent')]),
        crb('system:kubelet-api-admin', 'system:kubelet-api-admin', [user('kube-apiserver-kubelet-client')]),
        crb('node-debuggers', 'system:kubelet-api-admin', [user('bob@example.com')]),
      ],
    },
    ...more,
  };
}

/** The README's sample: the metrics agent, a user whose need cannot be told, three namespaces. */
export function readmeSpec(): ApiServerSimSpec {
  const spec = fixClusterSpec({ namespaces: 3, namespaceLabels: () => ({}) });
  const [roles, bindings] = [spec.extra!['/apis/rbac.authorization.k8s.io/v1/clusterroles']!, spec.extra!['/apis/rbac.authorization.k8s.io/v1/clusterrolebindings']!];
  spec.extra = {
    '/apis/rbac.authorization.k8s.io/v1/clusterroles': roles.slice(0, 2),
    '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings': bindings.slice(0, 2),
  };
  return spec;
}

/** the simulator's URL, as the README shows it */
export const README_SERVER = 'https://10.0.0.1:6443';
