import { cpFileControllerManagerManifestPerms as check } from './controller-manager-manifest-perms.ts';
import { root } from './test-support.ts';
import { singleFileCases } from './file-cases.ts';

const FILE = '/etc/kubernetes/manifests/kube-controller-manager.yaml';

singleFileCases(check, FILE, { pass: { mode: 0o600, ...root }, fail: { mode: 0o640, ...root }, fix: `chmod 600 ${FILE}` });
