import { cpFileAdminConfPerms as check } from './admin-conf-perms.ts';
import { root } from './test-support.ts';
import { singleFileCases } from './file-cases.ts';

const FILE = '/etc/kubernetes/admin.conf';

singleFileCases(check, FILE, { pass: { mode: 0o600, ...root }, fail: { mode: 0o644, ...root }, fix: `chmod 600 ${FILE}`, alongside: { '/etc/kubernetes/super-admin.conf': { mode: 0o600, ...root } } });
