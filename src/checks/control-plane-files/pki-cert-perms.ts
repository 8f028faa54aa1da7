// CIS 1.1.20 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { MODE_644, fileCheck } from '../files/file-stat.ts';
import { pkiTargets } from './common.ts';

export const cpFilePkiCertPerms = fileCheck(
  {
    id: 'cp-file-pki-cert-perms',
    title: 'The Kubernetes PKI certificate files (*.crt) have mode 644 or stricter',
    section: 'cis-1.1',
    severity: 'medium',
    cis: ['1.1.20'],
    rationale:
      'Whoever can write a CA certificate file replaces the CA the cluster trusts (for clients, for etcd, for the front proxy) with one of their own.',
    remediation: 'chmod 644 /etc/kubernetes/pki/*.crt /etc/kubernetes/pki/etcd/*.crt',
  },
  MODE_644,
  pkiTargets((p) => p.endsWith('.crt'), 'certificate file (*.crt)'),
);
