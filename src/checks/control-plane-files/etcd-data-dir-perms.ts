// CIS 1.1.11 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { fileCheck } from '../files/file-stat.ts';
import { dataDirTargets } from './common.ts';

export const cpFileEtcdDataDirPerms = fileCheck(
  {
    id: 'cp-file-etcd-data-dir-perms',
    title: 'The etcd data folder has mode 700 or stricter',
    section: 'cis-1.1',
    severity: 'high',
    cis: ['1.1.11'],
    rationale:
      'The etcd data folder holds every object of the cluster, Secrets included, unencrypted unless encryption at rest is configured: whoever can read it reads them all.',
    remediation: 'chmod 700 /var/lib/etcd (the folder etcd --data-dir names)',
  },
  { kind: 'mode', max: 0o700 },
  dataDirTargets,
);
