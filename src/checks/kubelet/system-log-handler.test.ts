import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsFrom, one } from '../fixtures.ts';
import { systemLogHandler } from './system-log-handler.ts';
import { HDR, subHandlerCases } from './sub-handler-cases.ts';

subHandlerCases(systemLogHandler);

test('system logs: log queries are named when on', () => {
  const r = one(systemLogHandler, factsFrom({ config: `${HDR}enableSystemLogQuery: true\nfeatureGates:\n  NodeLogQuery: true\nauthentication:\n  anonymous:\n    enabled: true\n` }));
  assert.equal(r.status, 'fail');
  assert.match(r.message, /with log queries/);
});
