import { cpFileSchedulerManifestOwner as check } from './scheduler-manifest-owner.ts';
import { root } from './test-support.ts';
import { singleFileCases } from './file-cases.ts';

const FILE = '/etc/kubernetes/manifests/kube-scheduler.yaml';

singleFileCases(check, FILE, { pass: { mode: 0o600, ...root }, fail: { mode: 0o600, uid: 1000, gid: 0 }, fix: `chown root:root ${FILE}` });
