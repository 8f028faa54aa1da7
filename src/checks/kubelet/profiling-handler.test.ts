import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one } from '../fixtures.ts';
import { profilingHandler } from './profiling-handler.ts';
import { HDR, subHandlerCases } from './sub-handler-cases.ts';

subHandlerCases(profilingHandler);

test('profiling: contention profiling is named when on', () => {
  const r = one(profilingHandler, factsFrom({ config: `${HDR}enableContentionProfiling: true\nauthorization:\n  mode: AlwaysAllow\n` }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /contention/);
});

test('profiling: --contention-profiling alone does not serve pprof when the profiling handler is off', () => {
  const r = one(profilingHandler, factsFrom({ config: `${HDR}enableProfilingHandler: false\n`, flags: ['--contention-profiling'] }));
  assert.equal(r.status, 'pass');
});
