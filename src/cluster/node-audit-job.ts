// The Job `cluster --node-audit` creates on one node: the pod of deploy/job/job.yaml (the offline
// node audit reading the host's / mounted read-only at /host, uid 0 without capabilities, no
// service-account token), pinned to the node the way the DaemonSet controller pins its pods (a
// required node affinity on the field metadata.name: the kubernetes.io/hostname label need not
// equal the node's name), tolerating every taint, never retried, bounded in time, and labelled so
// that leftovers can be found: `kubectl -n NS delete jobs -l kubelet-guard.io/run=RUN`.

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
export const RUN_LABEL = 'kubelet-guard.io/run';
/** the node's name: an annotation, since a node name (up to 253 characters) may not fit a label value */
export const NODE_ANNOTATION = 'kubelet-guard.io/node';
export const CONTAINER = 'audit';

export interface NodeAuditJobSpec {
  name: string;
  namespace: string;
  node: string;
  image: string;
  runId: string;
  /** the pod's activeDeadlineSeconds: the Job is failed by its controller after this */
  deadlineSeconds: number;
}

/** ttlSecondsAfterFinished: the backstop if kubelet-guard dies before it deletes the Job. */
export const TTL_SECONDS_AFTER_FINISHED = 600;

export function nodeAuditJob(s: NodeAuditJobSpec): object {
  const labels = { 'app.kubernetes.io/name': 'kubelet-guard', 'app.kubernetes.io/component': 'node-audit-job', [MANAGED_BY]: 'kubelet-guard', [RUN_LABEL]: s.runId };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: s.name, namespace: s.namespace, labels, annotations: { [NODE_ANNOTATION]: s.node } },
    spec: {
      backoffLimit: 0, // a rerun reads the same files
      activeDeadlineSeconds: s.deadlineSeconds,
      ttlSecondsAfterFinished: TTL_SECONDS_AFTER_FINISHED,
      template: {
        metadata: { labels, annotations: { [NODE_ANNOTATION]: s.node } },
        spec: {
          restartPolicy: 'Never',
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: [s.node] }] },
          ] } } },
          tolerations: [{ operator: 'Exists' }],
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: CONTAINER,
            image: s.image,
            args: ['node', '--root', '/host', '--format', 'json', '--fail-on', 'none'],
            securityContext: {
              runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, privileged: false, allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
            },
            resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '512Mi' } },
            volumeMounts: [{ name: 'host', mountPath: '/host', readOnly: true, recursiveReadOnly: 'IfPossible' }],
          }],
          volumes: [{ name: 'host', hostPath: { path: '/', type: 'Directory' } }],
        },
      },
    },
  };
}
