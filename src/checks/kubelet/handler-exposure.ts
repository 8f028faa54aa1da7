// Who can reach the debugging handlers (kubelet-facts §3): every request on the secure port goes
// through authentication, then authorization. The handlers are a risk only where someone who
// should not reach them can: anonymous authentication on (a request without credentials is
// system:anonymous) or authorization mode AlwaysAllow (every authenticated identity is allowed
// everything). Otherwise only identities the API server authorizes for nodes/proxy (or nodes/log)
// reach them. Shared by the debugging-handlers and the sub-handler checks; pure.
import type { NodeFacts } from '../../facts/types.ts';
import type { Evidence } from '../types.ts';
import { evidenceOf, lookup } from '../setting.ts';

export const ANON = 'authentication.anonymous.enabled';
export const MODE = 'authorization.mode';

export type Exposure =
  | { kind: 'exposed'; why: string } // reachable by anonymous callers or any authenticated identity
  | { kind: 'guarded'; why: string } // behind authentication and Webhook authorization
  | { kind: 'unknown'; why: string }; // which of the two settings cannot be known, and why

/** Whether the handlers are reachable by someone who should not reach them; adds the evidence. */
export function handlerExposure(facts: NodeFacts, evidence: Evidence[]): Exposure {
  const anon = lookup(facts, ANON);
  const mode = lookup(facts, MODE);
  if (anon.ok) evidence.push(evidenceOf(ANON, anon.s));
  if (mode.ok) evidence.push(evidenceOf(MODE, mode.s));
  const bad: string[] = [];
  if (anon.ok && anon.s.value === true) bad.push(`anonymous authentication is on (${ANON}: true), so a request without credentials is served as system:anonymous`);
  if (mode.ok && mode.s.value === 'AlwaysAllow') bad.push(`authorization is AlwaysAllow (${MODE}), so every authenticated identity is allowed them`);
  if (bad.length > 0) return { kind: 'exposed', why: bad.join('; ') };
  const unknown: string[] = [];
  if (!anon.ok) unknown.push(`${ANON} cannot be known: ${anon.why}`);
  if (!mode.ok) unknown.push(`${MODE} cannot be known: ${mode.why}`);
  if (unknown.length > 0) return { kind: 'unknown', why: `whether unauthenticated or unauthorized callers reach them cannot be known: ${unknown.join('; ')}` };
  return { kind: 'guarded', why: `anonymous authentication is off and authorization is ${String(mode.ok ? mode.s.value : '')}, so only identities the API server authorizes for the node's subresources (nodes/proxy; nodes/log for /logs) reach them` };
}
