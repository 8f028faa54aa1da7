import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeFacts } from '../facts/types.ts';
import { registerNodeSecrets } from './node-secrets.ts';
import { Secrets } from './secrets.ts';

function facts(argv: string[], env: Record<string, string> = {}, effective: Record<string, unknown> = {}): NodeFacts {
  const eff = Object.fromEntries(Object.entries(effective).map(([k, value]) => [k, { value, source: { kind: 'config-file' } }]));
  return { kubelet: { effective: eff, invocation: { from: 'manual', argv: argv.map((text) => ({ text })), env, flags: [] } } } as unknown as NodeFacts;
}

test("a node's credentials are registered: secret flag values in both forms, a stray word after one, URL credentials, secret-named env values, staticPodURL and its headers", () => {
  const s = new Secrets();
  registerNodeSecrets(facts(
    ['/usr/bin/kubelet', '--manifest-url', 'https://user1234:pass5678word@h.example/p?tok=query1234567', '--manifest-url-header=Authorization:Bearer', 'stray12345678', '--x-token', 'spaced12345678', '--node-labels=plain-value-123'],
    { API_TOKEN: 'envtoken12345', LOG_LEVEL: 'verbose-logging' },
    { staticPodURL: 'https://spuser123@h/p?a=spquery1234', staticPodURLHeader: { Authorization: ['Bearer hdrtoken12345'], X: ['plainhdr9876'] } },
  ), s);
  const shown = s.redact('user1234 pass5678word query1234567 stray12345678 spaced12345678 envtoken12345 spuser123 spquery1234 hdrtoken12345 plainhdr9876 plain-value-123 verbose-logging');
  assert.equal(shown, '<redacted> <redacted> <redacted> <redacted> <redacted> <redacted> <redacted> <redacted> <redacted> <redacted> plain-value-123 verbose-logging');
});
