// CIS 1.1.21 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { MODE_600, fileCheck } from '../files/file-stat.ts';
import { pkiTargets } from './common.ts';

export const cpFilePkiKeyPerms = fileCheck(
  {
    id: 'cp-file-pki-key-perms',
    title: 'The Kubernetes PKI key files (*.key) have mode 600 or stricter',
    section: 'cis-1.1',
    severity: 'critical',
    cis: ['1.1.21'],
    rationale:
      'Whoever reads ca.key, etcd/ca.key or sa.key mints client certificates or service account tokens for anyone, cluster-admin and etcd full access included.',
    remediation: 'chmod 600 /etc/kubernetes/pki/*.key /etc/kubernetes/pki/etcd/*.key',
  },
  MODE_600,
  pkiTargets((p) => p.endsWith('.key'), 'key file (*.key)'),
);
