import { cpFileControllerManagerManifestOwner as check } from './controller-manager-manifest-owner.ts';
import { root } from './test-support.ts';
import { singleFileCases } from './file-cases.ts';

const FILE = '/etc/kubernetes/manifests/kube-controller-manager.yaml';

singleFileCases(check, FILE, { pass: { mode: 0o600, ...root }, fail: { mode: 0o600, uid: 1000, gid: 0 }, fix: `chown root:root ${FILE}` });
