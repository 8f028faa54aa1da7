// Container runtime sockets (kubelet-facts §7): who can connect, and whether the paths hold sockets.
import { withNoFix, type Check } from '../types.ts';
import { runtimeSocketAccess } from './access.ts';
import { runtimeSocketIsSocket } from './is-socket.ts';

export const checks: Check[] = withNoFix(
  'the container runtime re-creates its socket at every start with the owner and mode of its own configuration (containerd: [grpc] uid and gid; CRI-O: listen, and the group of its unit): change them there, then restart it',
  [runtimeSocketAccess, runtimeSocketIsSocket],
);
