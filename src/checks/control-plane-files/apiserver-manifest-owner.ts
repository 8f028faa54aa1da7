// CIS 1.1.2 (v1.12, kube-bench cfg/cis-1.12/master.yaml). One result per file; a file that is
// not there is not-applicable with the reason, one that could not be examined is unknown.
import { ROOT_OWNER, fileCheck } from '../files/file-stat.ts';
import { manifestTargets } from './common.ts';

export const cpFileApiserverManifestOwner = fileCheck(
  {
    id: 'cp-file-apiserver-manifest-owner',
    title: 'The API server pod specification file is owned by root:root',
    section: 'cis-1.1',
    severity: 'high',
    cis: ['1.1.2'],
    rationale:
      'The owner of the API server manifest can change its mode and content at will.',
    remediation: 'chown root:root /etc/kubernetes/manifests/kube-apiserver.yaml',
  },
  ROOT_OWNER,
  manifestTargets('kube-apiserver'),
);
