// CIS 1.1 Control-plane node configuration files, in benchmark order (1.1.9 and 1.1.10, the CNI
// files, are not about the API-server bypasses and are not checked here).
import type { Check } from '../types.ts';
import { cpFileApiserverManifestPerms } from './apiserver-manifest-perms.ts';
import { cpFileApiserverManifestOwner } from './apiserver-manifest-owner.ts';
import { cpFileControllerManagerManifestPerms } from './controller-manager-manifest-perms.ts';
import { cpFileControllerManagerManifestOwner } from './controller-manager-manifest-owner.ts';
import { cpFileSchedulerManifestPerms } from './scheduler-manifest-perms.ts';
import { cpFileSchedulerManifestOwner } from './scheduler-manifest-owner.ts';
import { cpFileEtcdManifestPerms } from './etcd-manifest-perms.ts';
import { cpFileEtcdManifestOwner } from './etcd-manifest-owner.ts';
import { cpFileEtcdDataDirPerms } from './etcd-data-dir-perms.ts';
import { cpFileEtcdDataDirOwner } from './etcd-data-dir-owner.ts';
import { cpFileAdminConfPerms } from './admin-conf-perms.ts';
import { cpFileAdminConfOwner } from './admin-conf-owner.ts';
import { cpFileSchedulerConfPerms } from './scheduler-conf-perms.ts';
import { cpFileSchedulerConfOwner } from './scheduler-conf-owner.ts';
import { cpFileControllerManagerConfPerms } from './controller-manager-conf-perms.ts';
import { cpFileControllerManagerConfOwner } from './controller-manager-conf-owner.ts';
import { cpFilePkiOwner } from './pki-owner.ts';
import { cpFilePkiCertPerms } from './pki-cert-perms.ts';
import { cpFilePkiKeyPerms } from './pki-key-perms.ts';

export const checks: Check[] = [
  cpFileApiserverManifestPerms, // 1.1.1
  cpFileApiserverManifestOwner, // 1.1.2
  cpFileControllerManagerManifestPerms, // 1.1.3
  cpFileControllerManagerManifestOwner, // 1.1.4
  cpFileSchedulerManifestPerms, // 1.1.5
  cpFileSchedulerManifestOwner, // 1.1.6
  cpFileEtcdManifestPerms, // 1.1.7
  cpFileEtcdManifestOwner, // 1.1.8
  cpFileEtcdDataDirPerms, // 1.1.11
  cpFileEtcdDataDirOwner, // 1.1.12
  cpFileAdminConfPerms, // 1.1.13
  cpFileAdminConfOwner, // 1.1.14
  cpFileSchedulerConfPerms, // 1.1.15
  cpFileSchedulerConfOwner, // 1.1.16
  cpFileControllerManagerConfPerms, // 1.1.17
  cpFileControllerManagerConfOwner, // 1.1.18
  cpFilePkiOwner, // 1.1.19
  cpFilePkiCertPerms, // 1.1.20
  cpFilePkiKeyPerms, // 1.1.21
];
