// `explain` and `rbac-for` through the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { runCli } from './run-cli.ts';


test('explain --format json prints the verb, resource and subresources in order', async () => {
  const exec = await runCli('explain', 'GET', '/exec/default/web/app', '--format', 'json');
  assert.equal(exec.code, 0, exec.err);
  assert.deepEqual(JSON.parse(exec.out).subresources, ['proxy']);
  assert.equal(JSON.parse(exec.out).verb, 'get');
  const pods = JSON.parse((await runCli('explain', 'GET', '/pods', '--fine-grained', 'on', '--format', 'json')).out);
  assert.deepEqual({ verb: pods.verb, resource: pods.resource, subresources: pods.subresources }, { verb: 'get', resource: 'nodes', subresources: ['pods', 'proxy'] });
  assert.equal((await runCli('explain', 'GET', 'relative/path')).code, 2);
});

test('rbac-for prints a least-privilege ClusterRole as YAML', async () => {
  const r = await runCli('rbac-for', '/metrics/resource', '--kubelet-version', '1.34.0', '--name', 'metrics-reader');
  assert.equal(r.code, 0, r.err);
  const role = parse(r.out);
  assert.equal(role.kind, 'ClusterRole');
  assert.equal(role.metadata.name, 'metrics-reader');
  assert.deepEqual(role.rules, [{ apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] }]);
});
