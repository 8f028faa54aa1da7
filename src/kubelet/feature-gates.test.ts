import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseVariantOf, FEATURE_GATES, GATE_LIST_MINOR } from './feature-gates.ts';

test('the gate table is consistent: known before on, on before locked, removed after known, within the list read', () => {
  for (const [name, g] of Object.entries(FEATURE_GATES)) {
    assert.match(name, /^[A-Z][A-Za-z0-9]+$/, name);
    assert.ok(g.since >= 1 && g.since <= GATE_LIST_MINOR, name);
    if (g.onSince !== undefined) assert.ok(g.onSince >= g.since, name);
    if (g.lockedSince !== undefined) assert.ok(g.lockedSince >= (g.onSince ?? g.since) && g.lockedSince <= GATE_LIST_MINOR, name);
    if (g.removedIn !== undefined) assert.ok(g.removedIn > g.since && g.removedIn <= GATE_LIST_MINOR, name);
  }
});

test('case variants of a listed gate are found; the gate itself and unknown names are not variants', () => {
  assert.equal(caseVariantOf('rotatekubeletservercertificate'), 'RotateKubeletServerCertificate');
  assert.equal(caseVariantOf('RotateKubeletServerCertificate'), undefined);
  assert.equal(caseVariantOf('NoSuchGate'), undefined);
});
