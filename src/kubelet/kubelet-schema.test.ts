import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldByPath, flagByName, KUBELET_FLAGS, V1BETA1_FIELDS, V1BETA1_STRUCT_PATHS } from './kubelet-schema.ts';

test('no duplicate field paths or flag names', () => {
  const paths = V1BETA1_FIELDS.map((f) => f.path);
  assert.deepEqual(paths.filter((p, i) => paths.indexOf(p) !== i), []);
  const names = KUBELET_FLAGS.map((f) => f.name);
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
  const shorts = KUBELET_FLAGS.flatMap((f) => (f.shorthand ? [f.shorthand] : []));
  assert.deepEqual(shorts.filter((s, i) => shorts.indexOf(s) !== i), []);
});

test('flag names are normalized (no underscores, no dashes at the ends)', () => {
  for (const f of KUBELET_FLAGS) assert.match(f.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, f.name);
});

test('every FlagSpec.setting names an existing FieldSpec', () => {
  for (const f of KUBELET_FLAGS) {
    if (f.setting === undefined) continue;
    assert.ok(fieldByPath(f.setting), `--${f.name} sets unknown field ${f.setting}`);
  }
});

test('every FieldSpec.flag names an existing FlagSpec whose setting points back', () => {
  for (const f of V1BETA1_FIELDS) {
    if (f.flag === undefined) continue;
    const spec = flagByName(f.flag);
    assert.ok(spec, `${f.path}: no flag --${f.flag}`);
    assert.equal(spec.setting, f.path, `--${f.flag} does not point back to ${f.path}`);
    assert.equal(spec.settingKey, undefined);
  }
});

test('a flag bound to a field is that field\'s flag, or sets one key of an object field', () => {
  for (const f of KUBELET_FLAGS) {
    if (f.setting === undefined) continue;
    const field = fieldByPath(f.setting)!;
    if (f.settingKey !== undefined) assert.equal(field.type, 'object', `--${f.name}`);
    else assert.equal(field.flag, f.name, `--${f.name} sets ${f.setting}, whose flag is ${field.flag}`);
  }
});

test('the four legacy flag defaults are exactly those of applyLegacyDefaults', () => {
  const legacy = Object.fromEntries(V1BETA1_FIELDS.filter((f) => f.flagDefault !== undefined).map((f) => [f.path, f.flagDefault]));
  assert.deepEqual(legacy, {
    'authentication.anonymous.enabled': true,
    'authentication.webhook.enabled': false,
    'authorization.mode': 'AlwaysAllow',
    readOnlyPort: 10255,
  });
  // and they belong to the flags applyLegacyDefaults names
  assert.equal(fieldByPath('authentication.anonymous.enabled')?.flag, 'anonymous-auth');
  assert.equal(fieldByPath('authentication.webhook.enabled')?.flag, 'authentication-token-webhook');
  assert.equal(fieldByPath('authorization.mode')?.flag, 'authorization-mode');
  assert.equal(fieldByPath('readOnlyPort')?.flag, 'read-only-port');
});

test('spot checks: defaults and pointers', () => {
  const ro = fieldByPath('readOnlyPort')!;
  assert.equal(ro.default, undefined);
  assert.equal(ro.pointer, false);

  const sc = fieldByPath('streamingConnectionIdleTimeout')!;
  assert.equal(sc.type, 'duration');
  assert.equal(sc.pointer, false);
  assert.equal(sc.default, '4h0m0s');

  const anon = fieldByPath('authentication.anonymous.enabled')!;
  assert.equal(anon.pointer, true);
  assert.equal(anon.default, false);
  assert.equal(anon.flagDefault, true);

  const hz = fieldByPath('healthzPort')!;
  assert.equal(hz.pointer, true);
  assert.equal(hz.default, 10248);

  assert.equal(fieldByPath('authorization.mode')?.default, 'Webhook');
  assert.equal(fieldByPath('authorization.mode')?.pointer, false);
  assert.equal(fieldByPath('authorization.webhook.cacheAuthorizedTTL')?.default, '5m0s');
  assert.equal(fieldByPath('authentication.webhook.cacheTTL')?.default, '2m0s');
  assert.equal(fieldByPath('cpuCFSQuotaPeriod')?.default, '100ms');
  assert.deepEqual(fieldByPath('enforceNodeAllocatable')?.default, ['pods']);
  assert.equal(fieldByPath('enforceNodeAllocatable')?.type, 'stringList');
  assert.equal(fieldByPath('containerRuntimeEndpoint')?.default, 'unix:///run/containerd/containerd.sock');
  assert.equal(fieldByPath('podPidsLimit')?.default, -1);
  assert.equal(fieldByPath('podPidsLimit')?.defaultWhen, 'nilOrNegative');
  assert.equal(fieldByPath('registerWithTaints')?.type, 'objectList');
  assert.equal(fieldByPath('featureGates')?.type, 'boolMap');
  assert.equal(fieldByPath('tlsCipherSuites')?.type, 'stringList');
});

test('spot checks: renamed flags', () => {
  const pairs: Array<[string, string]> = [
    ['staticPodPath', 'pod-manifest-path'],
    ['staticPodURL', 'manifest-url'],
    ['podPidsLimit', 'pod-max-pids'],
    ['serverTLSBootstrap', 'rotate-server-certificates'],
    ['enableContentionProfiling', 'contention-profiling'],
    ['eventRecordQPS', 'event-qps'],
    ['authorization.webhook.cacheAuthorizedTTL', 'authorization-webhook-cache-authorized-ttl'],
    ['seccompDefault', 'seccomp-default'],
  ];
  for (const [path, flag] of pairs) {
    assert.equal(fieldByPath(path)?.flag, flag, path);
    assert.equal(flagByName(flag)?.setting, path, flag);
  }
});

test('spot checks: flag kinds', () => {
  assert.equal(flagByName('feature-gates')?.kind, 'mapStringBool');
  assert.equal(flagByName('tls-cipher-suites')?.kind, 'stringSlice');
  for (const n of ['eviction-hard', 'eviction-soft', 'eviction-soft-grace-period', 'eviction-minimum-reclaim']) {
    assert.equal(flagByName(n)?.kind, 'mapStringString', n);
  }
  assert.equal(flagByName('eviction-hard')?.mapFormat, 'key<value');
  assert.equal(flagByName('seccomp-default')?.kind, 'bool');
  assert.equal(flagByName('seccomp-default')?.combine, 'or');
  assert.equal(flagByName('seccomp-default')?.source, 'KubeletFlags');
  assert.equal(flagByName('v')?.shorthand, 'v');
  assert.equal(flagByName('help')?.shorthand, 'h');
  assert.equal(flagByName('version')?.noOptDefVal, 'true');
});

test('flag-only settings and global flags exist without a setting', () => {
  for (const n of ['hostname-override', 'kubeconfig', 'bootstrap-kubeconfig', 'config', 'config-dir', 'cert-dir', 'node-ip', 'root-dir', 'cloud-provider', 'node-labels', 'help', 'version', 'vmodule', 'log-flush-frequency']) {
    assert.ok(flagByName(n), n);
  }
  for (const n of ['hostname-override', 'kubeconfig', 'config', 'root-dir', 'help', 'version']) {
    assert.equal(flagByName(n)?.setting, undefined, n);
  }
});

test('flagByName normalizes underscores like cliflag.WordSepNormalizeFunc', () => {
  assert.equal(flagByName('read_only_port')?.name, 'read-only-port');
  assert.equal(flagByName('housekeeping_interval')?.name, 'housekeeping-interval');
  assert.equal(flagByName('no-such-flag'), undefined);
});

test('config flags carry the AddKubeletConfigFlags deprecation, except the notDeprecated ones', () => {
  const notDeprecated = new Set(['v', 'vmodule', 'log-flush-frequency', 'provider-id', 'fail-cgroupv1']);
  for (const f of KUBELET_FLAGS) {
    if (f.source !== 'KubeletConfiguration') continue;
    if (notDeprecated.has(f.name)) assert.equal(f.deprecated, undefined, f.name);
    else assert.match(f.deprecated ?? '', /should be set via the config file/, f.name);
  }
});

test('nested paths sit under the expanded struct paths', () => {
  const structs = new Set(V1BETA1_STRUCT_PATHS);
  for (const f of V1BETA1_FIELDS) {
    const parts = f.path.split('.');
    for (let i = 1; i < parts.length; i++) assert.ok(structs.has(parts.slice(0, i).join('.')), f.path);
  }
});

test('defaults have the type of their field', () => {
  const durationRe = /^(0s|([0-9]+h)?([0-9]+m)?([0-9]+(\.[0-9]+)?(s|ms|µs|us|ns))?)$/;
  for (const f of V1BETA1_FIELDS) {
    for (const d of [f.default, f.flagDefault, f.docDefault, f.gatedDefault?.value, f.configFileDefault]) {
      if (d === undefined) continue;
      switch (f.type) {
        case 'bool':
          assert.equal(typeof d, 'boolean', f.path);
          break;
        case 'int32':
        case 'int64':
          assert.ok(Number.isInteger(d), f.path);
          break;
        case 'float':
          assert.equal(typeof d, 'number', f.path);
          break;
        case 'string':
          assert.equal(typeof d, 'string', f.path);
          break;
        case 'duration':
          assert.ok(typeof d === 'string' && durationRe.test(d) && d !== '', `${f.path}: ${String(d)}`);
          break;
        case 'stringList':
          assert.ok(Array.isArray(d) && d.every((x) => typeof x === 'string'), f.path);
          break;
        default:
          assert.ok(typeof d === 'object' && d !== null && !Array.isArray(d), f.path);
      }
    }
    if (f.defaultDependsOn) assert.ok(fieldByPath(f.defaultDependsOn.field), f.path);
  }
});
