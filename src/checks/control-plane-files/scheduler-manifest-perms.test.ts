import { cpFileSchedulerManifestPerms as check } from './scheduler-manifest-perms.ts';
import { root } from './test-support.ts';
import { singleFileCases } from './file-cases.ts';

const FILE = '/etc/kubernetes/manifests/kube-scheduler.yaml';

singleFileCases(check, FILE, { pass: { mode: 0o400, ...root }, fail: { mode: 0o666, ...root }, fix: `chmod 600 ${FILE}` });
