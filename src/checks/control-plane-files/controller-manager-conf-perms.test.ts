import { cpFileControllerManagerConfPerms as check } from './controller-manager-conf-perms.ts';
import { root } from './test-support.ts';
import { singleFileCases } from './file-cases.ts';

const FILE = '/etc/kubernetes/controller-manager.conf';

singleFileCases(check, FILE, { pass: { mode: 0o600, ...root }, fail: { mode: 0o660, ...root }, fix: `chmod 600 ${FILE}` });
