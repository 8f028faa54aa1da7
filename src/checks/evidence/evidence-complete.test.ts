import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { factsFrom, KUBEADM_CONFIG, one } from '../fixtures.ts';
import { evidenceComplete } from './evidence-complete.ts';
import { gatherNodeFacts } from '../../sources/node.ts';
import { RootFs } from '../../sources/root-fs.ts';
import { tempDir } from '../../../test/support/tmp.ts';

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

test('unknown: a kubelet command line seen only in part, even with privileges and every file read', () => {
  const why = 'more than 10,000 kubelet-arg words in /etc/rancher/k3s/config.yaml.d: any setting may be overridden by a flag not seen';
  const r = one(evidenceComplete, factsFrom({ patch: (f) => { f.kubelet.commandLineHidden = why; } }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /command line could not be seen whole: more than 10,000 kubelet-arg words/);
});

test('unknown: files the audit was refused are listed, even with privileges', () => {
  const r = one(evidenceComplete, factsFrom({ patch: (f) => { f.unreadable = ['/etc/kubernetes/kubelet.conf', '/var/lib/kubelet/pki/kubelet.key']; } }));
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /refused 2 files \(\/etc\/kubernetes\/kubelet.conf, \/var\/lib\/kubelet\/pki\/kubelet.key\)/);
  assert.equal(r.evidence?.length, 2);
});

// Issue 10 §4: live, a run that could not read pid 1's network namespace has not read the node's
// listeners fully. Through the real source, on a fake /proc.
function fakeLiveTree(opts: { initNetns?: string; denyFds?: boolean }): RootFs {
  const r = tempDir('kg-evidence-proc-');
  const put = (p: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(r, p)), { recursive: true });
    fs.writeFileSync(path.join(r, p), text);
  };
  put('/proc/net/tcp', '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 00000000:2802 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1001 1 0000000000000000 100 0 0 10 0\n');
  put('/proc/net/tcp6', '  sl  local_address remote_address st\n');
  fs.mkdirSync(path.join(r, 'proc/self/ns'), { recursive: true });
  fs.symlinkSync('net:[4026531840]', path.join(r, 'proc/self/ns/net'));
  put('/proc/812/comm', 'kubelet\n');
  put('/proc/812/cmdline', '/usr/bin/kubelet\0--config=/var/lib/kubelet/config.yaml\0');
  fs.mkdirSync(path.join(r, 'proc/812/fd'), { recursive: true });
  fs.symlinkSync('socket:[1001]', path.join(r, 'proc/812/fd/3'));
  if (opts.initNetns) {
    fs.mkdirSync(path.join(r, 'proc/1/ns'), { recursive: true });
    fs.symlinkSync(opts.initNetns, path.join(r, 'proc/1/ns/net'));
  }
  put('/var/lib/kubelet/config.yaml', KUBEADM_CONFIG);
  return new RootFs(r);
}

test("unknown, not pass: live, pid 1's network namespace could not be read", () => {
  const facts = gatherNodeFacts({ fs: fakeLiveTree({}), privileged: true, now: new Date('2026-11-23T00:00:00Z') });
  assert.equal(facts.mode, 'live');
  assert.equal(facts.listeners?.sameNetnsAsInit, undefined);
  const r = one(evidenceComplete, facts);
  assert.equal(r.status, 'unknown');
  assert.match(r.message, /network namespace of pid 1 could not be compared .*\/proc\/1\/ns\/net/);
});

test("pass: live, pid 1's network namespace read and the same as the audit's", () => {
  const facts = gatherNodeFacts({ fs: fakeLiveTree({ initNetns: 'net:[4026531840]' }), privileged: true, now: new Date('2026-11-23T00:00:00Z') });
  assert.equal(facts.listeners?.sameNetnsAsInit, true);
  const r = one(evidenceComplete, facts);
  assert.equal(r.status, 'pass');
  assert.match(r.message, /pid 1's network namespace/);
});

test("unknown: live, another network namespace than pid 1's, or listener facts that do not say whose namespace they are", () => {
  const other = gatherNodeFacts({ fs: fakeLiveTree({ initNetns: 'net:[4026532000]' }), privileged: true });
  assert.equal(one(evidenceComplete, other).status, 'unknown');
  const bare = factsFrom({ patch: (f) => { f.mode = 'live'; f.listeners = { available: true, listeners: [] }; } });
  assert.equal(one(evidenceComplete, bare).status, 'unknown');
});
