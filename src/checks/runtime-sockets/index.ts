// Container runtime sockets (kubelet-facts §7): who can connect, and whether the paths hold sockets.
import type { Check } from '../types.ts';
import { runtimeSocketAccess } from './access.ts';
import { runtimeSocketIsSocket } from './is-socket.ts';

export const checks: Check[] = [runtimeSocketAccess, runtimeSocketIsSocket];
