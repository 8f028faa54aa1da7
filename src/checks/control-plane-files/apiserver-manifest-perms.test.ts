import { cpFileApiserverManifestPerms as check } from './apiserver-manifest-perms.ts';
import { root } from './test-support.ts';
import { singleFileCases } from './file-cases.ts';

const FILE = '/etc/kubernetes/manifests/kube-apiserver.yaml';

singleFileCases(check, FILE, { pass: { mode: 0o600, ...root }, fail: { mode: 0o644, ...root }, fix: `chmod 600 ${FILE}` });
