// Static pods (kubelet-facts §7): what the kubelet runs from its staticPodPath without the API
// server. From the most direct bypass to the hygiene of the folder.
import { withNoFix, type Check } from '../types.ts';
import { staticPodHostMounts } from './host-mounts.ts';
import { staticPodPrivileged } from './privileged.ts';
import { staticPodCapabilities } from './capabilities.ts';
import { staticPodHostNamespaces } from './host-namespaces.ts';
import { staticPodWritableHostPaths } from './writable-host-paths.ts';
import { staticPodNamespace } from './namespace.ts';
import { staticPodManifestPerms } from './manifest-perms.ts';
import { staticPodManifestDecodes } from './manifest-decodes.ts';

// Taking a privilege from a static pod is a decision: only its operator knows whether it still works without.
const DECISION = 'the change takes from a static pod what it may do (privileges, host paths, host namespaces): only its operator can tell whether it still works without; edit its manifest by hand';

export const checks: Check[] = [
  ...withNoFix(DECISION, [staticPodHostMounts, staticPodPrivileged, staticPodCapabilities, staticPodHostNamespaces, staticPodWritableHostPaths]),
  ...withNoFix('the namespace a static pod names is for its operator to choose', [staticPodNamespace]),
  staticPodManifestPerms,
  ...withNoFix('the kubelet skips a manifest it cannot decode: what it should hold is for its author to say', [staticPodManifestDecodes]),
];
