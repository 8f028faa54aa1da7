// Static pods (kubelet-facts §7): what the kubelet runs from its staticPodPath without the API
// server. From the most direct bypass to the hygiene of the folder.
import type { Check } from '../types.ts';
import { staticPodHostMounts } from './host-mounts.ts';
import { staticPodPrivileged } from './privileged.ts';
import { staticPodCapabilities } from './capabilities.ts';
import { staticPodHostNamespaces } from './host-namespaces.ts';
import { staticPodWritableHostPaths } from './writable-host-paths.ts';
import { staticPodNamespace } from './namespace.ts';
import { staticPodManifestPerms } from './manifest-perms.ts';
import { staticPodManifestDecodes } from './manifest-decodes.ts';

export const checks: Check[] = [
  staticPodHostMounts,
  staticPodPrivileged,
  staticPodCapabilities,
  staticPodHostNamespaces,
  staticPodWritableHostPaths,
  staticPodNamespace,
  staticPodManifestPerms,
  staticPodManifestDecodes,
];
