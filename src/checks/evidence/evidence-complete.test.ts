import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one } from '../fixtures.ts';
import { evidenceComplete } from './evidence-complete.ts';

test('pass: privileged offline root', () => {
  const r = one(evidenceComplete, factsFrom({}));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /test node/);
});

test('pass: privileged live run', () => {
  const r = one(evidenceComplete, factsFrom({ patch: (f) => { f.mode = 'live'; f.target = 'live node'; } }));
  assert.equal(r.status, 'pass');
  assert.match(r.message, /live node/);
});

test('unknown: live mode without root, with the privilege note', () => {
  const note = 'not running as root: /proc/<pid>/cmdline of the kubelet and root-only files cannot be read; run with sudo';
  const r = one(evidenceComplete, factsFrom({ patch: (f) => { f.mode = 'live'; f.privileged = false; f.privilegeNote = note; } }));
  assert.equal(r.status, 'unknown');
  assert.equal(r.message, note);
});

test('unknown: not privileged and no note still says why', () => {
  const r = one(evidenceComplete, factsFrom({ patch: (f) => { f.privileged = false; } }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /could not be read fully/);
});

test('unknown: files the audit was refused are listed, even with privileges', () => {
  const r = one(evidenceComplete, factsFrom({ patch: (f) => { f.unreadable = ['/etc/kubernetes/kubelet.conf', '/var/lib/kubelet/pki/kubelet.key']; } }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /refused 2 files \(\/etc\/kubernetes\/kubelet.conf, \/var\/lib\/kubelet\/pki\/kubelet.key\)/);
  assert.equal(r.evidence?.length, 2);
});
