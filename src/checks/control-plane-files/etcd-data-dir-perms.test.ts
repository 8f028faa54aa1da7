import { cpFileEtcdDataDirPerms as check } from './etcd-data-dir-perms.ts';
import { root } from './test-support.ts';
import { singleFileCases } from './file-cases.ts';

const FILE = '/var/lib/etcd';

singleFileCases(check, FILE, { pass: { mode: 0o700, ...root }, fail: { mode: 0o755, ...root }, fix: `chmod 700 ${FILE}` });
