import { cpFileAdminConfOwner as check } from './admin-conf-owner.ts';
import { root } from './test-support.ts';
import { singleFileCases } from './file-cases.ts';

const FILE = '/etc/kubernetes/admin.conf';

singleFileCases(check, FILE, { pass: { mode: 0o600, ...root }, fail: { mode: 0o600, uid: 1000, gid: 0 }, fix: `chown root:root ${FILE}`, alongside: { '/etc/kubernetes/super-admin.conf': { mode: 0o600, ...root } } });
