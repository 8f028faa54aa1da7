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

test('rbac-for refuses a path the kubelet does not serve (it would grant nodes/proxy, exec) unless --allow-proxy', async () => {
  for (const path of ['/metric', '/stats-summary', '/api/v1/nodes', '/healthzz', 'GET /debug/vars']) {
    const r = await runCli('rbac-for', '/metrics/resource', path);
    assert.equal(r.code, 2, path);
    assert.equal(r.out, '', 'no role is printed');
    assert.match(r.err, /^kubelet-guard: rbac-for: the kubelet serves no \/\S+; such a request is authorized as nodes\/proxy, which also runs commands in every pod on the node \(exec\)\. .*pass --allow-proxy to grant nodes\/proxy anyway\n$/);
  }
  const ok = await runCli('rbac-for', '/metric', '--allow-proxy');
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^# \/metric: the kubelet serves no such path/m);
  assert.match(ok.out, /- nodes\/proxy/);
  // served paths that need nodes/proxy are not refused: the notes say what it grants
  for (const path of ['/containerLogs/ns/pod/c', 'POST /exec/ns/pod/c', '/debug/pprof/heap', 'PUT /debug/flags/v', '/pods', '/healthz/ping', '/statusz', '/metrics/slis']) {
    const r = await runCli('rbac-for', path, '--fine-grained', 'off');
    assert.equal(r.code, 0, `${path}: ${r.err}`);
    assert.doesNotMatch(r.out, /serves no such path/);
  }
  // explain says so too, without refusing (it explains; it grants nothing)
  const ex = await runCli('explain', 'GET', '/nope');
  assert.equal(ex.code, 0);
  assert.match(ex.out, /the kubelet serves no \/nope: the request is authorized \(as nodes\/proxy\) and then answered 404/);
});
