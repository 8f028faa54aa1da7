// CIS 1.1.7 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { MODE_600, fileCheck } from '../files/file-stat.ts';
import { manifestTargets } from './common.ts';

export const cpFileEtcdManifestPerms = fileCheck(
  {
    id: 'cp-file-etcd-manifest-perms',
    title: 'The etcd pod specification file has mode 600 or stricter',
    section: 'cis-1.1',
    severity: 'high',
    cis: ['1.1.7'],
    rationale:
      'Whoever can write the etcd manifest turns off client certificate authentication (--client-cert-auth) or adds a plain-http listener: every Secret, bypassing the API server.',
    remediation: 'chmod 600 /etc/kubernetes/manifests/etcd.yaml',
  },
  MODE_600,
  manifestTargets('etcd'),
);
