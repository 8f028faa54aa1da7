import { cpFileEtcdManifestPerms as check } from './etcd-manifest-perms.ts';
import { root } from './test-support.ts';
import { singleFileCases } from './file-cases.ts';

const FILE = '/etc/kubernetes/manifests/etcd.yaml';

singleFileCases(check, FILE, { pass: { mode: 0o600, ...root }, fail: { mode: 0o604, ...root }, fix: `chmod 600 ${FILE}` });
