// The API server's authorizer chain from its flags (kubernetes pkg/kubeapiserver/options/authorization.go):
// --authorization-mode is a StringSlice (every use after the first appends); unset, Complete()
// makes it AlwaysAllow unless --authorization-config is given; with --authorization-config the
// chain is in that file, and --authorization-mode or any --authorization-webhook-* flag next to it
// stops the API server ("--authorization-config can not be specified when --authorization-mode or
// --authorization-webhook-* flags are defined"). Validate() refuses unknown and repeated modes.
import type { ComponentFacts, ComponentFlag } from '../../facts/types.ts';
import { effective, sliceFlag } from '../../sources/control-plane.ts';
import type { Evidence } from '../types.ts';
import { at, defaultEvidence, flagEvidence } from './common.ts';

export const MODES = ['AlwaysAllow', 'AlwaysDeny', 'ABAC', 'Webhook', 'RBAC', 'Node'];
const LEGACY = ['authorization-mode', 'authorization-webhook-config-file', 'authorization-webhook-version', 'authorization-webhook-cache-authorized-ttl', 'authorization-webhook-cache-unauthorized-ttl'];

export type Modes =
  | { kind: 'known'; modes: string[]; flags: ComponentFlag[]; evidence: Evidence[]; words: string }
  | { kind: 'unknown'; why: string; evidence: Evidence[] };

export function authorizationModes(c: ComponentFacts): Modes {
  const cfg = effective(c, 'authorization-config');
  if (cfg && cfg.value !== '') {
    const legacy = LEGACY.flatMap((n) => c.flags.filter((f) => f.name === n));
    const evidence = [flagEvidence(cfg.flag), ...legacy.map((f) => flagEvidence(f))];
    if (legacy.length > 0) {
      return { kind: 'unknown', evidence, why: `the API server refuses to start: ${cfg.flag.text} (${at(cfg.flag)}) cannot be combined with ${legacy.map((f) => `${f.text} (${at(f)})`).join(', ')}` };
    }
    return { kind: 'unknown', evidence, why: `the authorizer chain is configured in the file ${cfg.value} (${cfg.flag.text}, ${at(cfg.flag)}, structured authorization configuration); kubelet-guard does not read that file yet, so check its authorizers[].type list by hand` };
  }
  const s = sliceFlag(c, 'authorization-mode');
  if (!s) {
    return { kind: 'known', modes: ['AlwaysAllow'], flags: [], words: '--authorization-mode is not set, and the API server then uses AlwaysAllow', evidence: [defaultEvidence(c, 'authorization-mode', 'AlwaysAllow', 'not set: the API server defaults to AlwaysAllow when --authorization-config is not used')] };
  }
  const evidence = s.flags.map((f) => flagEvidence(f));
  const written = s.flags.map((f) => `${f.text} (${at(f)})`).join(' and ');
  if (s.values.length === 0) {
    return { kind: 'known', modes: ['AlwaysAllow'], flags: s.flags, evidence, words: `${written} gives no mode, and the API server then uses AlwaysAllow (1.29 and later; older ones refuse to start)` };
  }
  const bad = s.values.filter((m) => !MODES.includes(m));
  if (bad.length > 0) return { kind: 'unknown', evidence, why: `the API server refuses to start: ${written} names ${bad.map((b) => `"${b}"`).join(', ')}, not a valid mode (${MODES.join(', ')})` };
  if (new Set(s.values).size !== s.values.length) return { kind: 'unknown', evidence, why: `the API server refuses to start: ${written} names a mode more than once` };
  return { kind: 'known', modes: s.values, flags: s.flags, evidence, words: `${written} gives the chain ${s.values.join(',')}` };
}

/** The chain a fix proposes: the current one without AlwaysAllow, with Node first and RBAC added when missing. */
export function recommendedModes(modes: string[]): string[] {
  const out = modes.filter((m) => m !== 'AlwaysAllow');
  if (!out.includes('Node')) out.unshift('Node');
  if (!out.includes('RBAC')) out.push('RBAC');
  return out;
}
