// CIS 1.1.8 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { ROOT_OWNER, fileCheck } from '../files/file-stat.ts';
import { manifestTargets } from './common.ts';

export const cpFileEtcdManifestOwner = fileCheck(
  {
    id: 'cp-file-etcd-manifest-owner',
    title: 'The etcd pod specification file is owned by root:root',
    section: 'cis-1.1',
    severity: 'high',
    cis: ['1.1.8'],
    rationale:
      'The owner of the etcd manifest can change its mode and content at will.',
    remediation: 'chown root:root /etc/kubernetes/manifests/etcd.yaml',
  },
  ROOT_OWNER,
  manifestTargets('etcd'),
);
