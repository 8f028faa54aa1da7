// CIS 1.1.19 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { ROOT_OWNER, fileCheck } from '../files/file-stat.ts';
import { pkiTargets } from './common.ts';

export const cpFilePkiOwner = fileCheck(
  {
    id: 'cp-file-pki-owner',
    title: 'The Kubernetes PKI folder and its files are owned by root:root',
    section: 'cis-1.1',
    severity: 'high',
    cis: ['1.1.19'],
    rationale:
      'The PKI folder holds the cluster CA key, the etcd CA key and the service account signing key: the owner of any of them can mint credentials for any user, node or service account.',
    remediation: 'chown -R root:root /etc/kubernetes/pki/',
  },
  ROOT_OWNER,
  pkiTargets(() => true, 'PKI folder or file'),
);
