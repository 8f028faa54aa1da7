import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { analyseMetrics, analysePods, configzToEffective, jsonShapeError, LIMITS, MAX_FEATURE_GATES, nodeFactsFromConfigz, secretReasons } from './collect.ts';
import { V1BETA1_FIELDS } from '../kubelet/kubelet-schema.ts';
import { NODE_CHECKS } from '../checks/index.ts';
import { runChecks } from '../checks/run.ts';
import type { Finding } from '../checks/types.ts';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const sha8 = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 8);

// ─── /pods ──────────────────────────────────────────────────────────────────────────────────────

const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const GH = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const DB_PASSWORD = 'hunter2-correct-horse';
const RANDOM = 'q8Zr2LmX7vNw4Kp9Yt3Hs6Dj1Fg5Bc0V';

function pod(ns: string, name: string, spec: Record<string, unknown>): unknown {
  return { metadata: { namespace: ns, name }, spec };
}

const KUBE_API_ACCESS = {
  name: 'kube-api-access-x7k2p',
  projected: {
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};
const SA_MOUNT = { name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true };

const POD_LIST = {
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: {},
  items: [
    pod('kube-system', 'kube-proxy-abcde', {
      serviceAccountName: 'kube-proxy',
      volumes: [{ name: 'lib-modules', hostPath: { path: '/lib/modules', type: '' } }, KUBE_API_ACCESS],
      containers: [{ name: 'kube-proxy', securityContext: { privileged: true }, volumeMounts: [SA_MOUNT], env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] }],
    }),
    pod('shop', 'api-7d9f', {
      serviceAccountName: 'api',
      volumes: [KUBE_API_ACCESS, { name: 'sock', hostPath: { path: '/run/containerd/containerd.sock' } }],
      initContainers: [{ name: 'migrate', env: [{ name: 'DATABASE_URL', value: `postgres://shop:${DB_PASSWORD}@db:5432/shop` }] }],
      containers: [
        {
          name: 'api',
          volumeMounts: [SA_MOUNT],
          env: [
            { name: 'AWS_ACCESS_KEY_ID', value: AWS_KEY },
            { name: 'DB_PASSWORD', value: DB_PASSWORD },
            { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db' },
            { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } },
            { name: 'SA_TOKEN', value: JWT },
            { name: 'GITHUB', value: GH },
            { name: 'SESSION_SIGNING_SEED', value: RANDOM },
            { name: 'GIT_COMMIT', value: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3' },
            { name: 'REQUEST_ID', value: '123e4567-e89b-12d3-a456-426614174000' },
            { name: 'TOKEN_TTL', value: '3600' },
            { name: 'SECRET_NAME', value: 'api-credentials' },
            { name: 'PASSWORD', value: '$(DB_PASSWORD)' },
            { name: 'PWD', value: '/app' },
            { name: 'ENABLE_AUTH_TOKEN', value: 'true' },
            { name: 'JAVA_OPTS', value: '-Xmx512m -XX:+UseG1GC' },
            { name: 'APP_NAME', value: 'ShopApiServiceForCustomers' },
          ],
        },
      ],
    }),
    pod('legacy', 'old-app', {
      serviceAccount: 'legacy-sa',
      volumes: [{ name: 'legacy-sa-token-abcde', secret: { secretName: 'legacy-sa-token-abcde' } }],
      containers: [{ name: 'app', volumeMounts: [{ name: 'legacy-sa-token-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount/' }] }],
    }),
    pod('batch', 'no-token', {
      automountServiceAccountToken: false,
      volumes: [{ name: 'cfg', secret: { secretName: 'cfg' } }],
      containers: [{ name: 'job', volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }] }],
    }),
    pod('web', 'unmounted-token', {
      volumes: [KUBE_API_ACCESS],
      containers: [{ name: 'web' }],
    }),
  ],
};

test('analysePods: counts, privileged containers, host paths, service-account tokens', () => {
  const r = analysePods(json(POD_LIST), false);
  assert.equal(r.error, undefined);
  assert.equal(r.count, 5);
  assert.deepEqual(r.privileged, [{ namespace: 'kube-system', pod: 'kube-proxy-abcde', container: 'kube-proxy' }]);
  assert.deepEqual(r.hostPaths, [
    { namespace: 'kube-system', pod: 'kube-proxy-abcde', path: '/lib/modules' },
    { namespace: 'shop', pod: 'api-7d9f', path: '/run/containerd/containerd.sock' },
  ]);
  // projected token (2 pods) + legacy secret token at the SA path (1); not the automount-false pod,
  // not a pod whose containers do not mount the token volume
  assert.equal(r.serviceAccountTokens, 3);
  assert.deepEqual(r.serviceAccounts, [
    { namespace: 'kube-system', pod: 'kube-proxy-abcde', serviceAccount: 'kube-proxy' },
    { namespace: 'shop', pod: 'api-7d9f', serviceAccount: 'api' },
    { namespace: 'legacy', pod: 'old-app', serviceAccount: 'legacy-sa' },
  ]);
  assert.equal(r.truncated, undefined);
});

test('analysePods: secret-looking env vars by name and by value shape, fingerprints only', () => {
  const r = analysePods(json(POD_LIST), false);
  const byName = new Map(r.secretEnv.map((e) => [e.name, e]));
  assert.deepEqual([...byName.keys()].sort(), ['AWS_ACCESS_KEY_ID', 'DATABASE_URL', 'DB_PASSWORD', 'GITHUB', 'SA_TOKEN', 'SESSION_SIGNING_SEED']);
  assert.match(byName.get('AWS_ACCESS_KEY_ID')!.why, /AWS access key id/);
  assert.match(byName.get('DB_PASSWORD')!.why, /name looks like a secret \(PASSWORD\)/);
  assert.match(byName.get('DATABASE_URL')!.why, /URL with a password/);
  assert.equal(byName.get('DATABASE_URL')!.container, 'migrate'); // init containers too
  assert.match(byName.get('SA_TOKEN')!.why, /JWT/);
  assert.match(byName.get('GITHUB')!.why, /GitHub token/);
  assert.match(byName.get('SESSION_SIGNING_SEED')!.why, /high entropy/);
  assert.equal(byName.get('DB_PASSWORD')!.fingerprint, sha8(DB_PASSWORD));
  assert.deepEqual(
    { namespace: byName.get('DB_PASSWORD')!.namespace, pod: byName.get('DB_PASSWORD')!.pod, container: byName.get('DB_PASSWORD')!.container },
    { namespace: 'shop', pod: 'api-7d9f', container: 'api' },
  );
  const out = JSON.stringify(r);
  for (const secret of [AWS_KEY, JWT, GH, DB_PASSWORD, RANDOM]) assert.ok(!out.includes(secret), `the value ${secret.slice(0, 4)}… leaked`);
  assert.ok(!out.includes('hunter2'));
});

test('secretReasons: what is not a secret', () => {
  assert.deepEqual(secretReasons('DB_PASSWORD_FILE', '/run/secrets/db'), []);
  assert.deepEqual(secretReasons('PASSWORD', '$(OTHER)'), []);
  assert.deepEqual(secretReasons('TOKEN_TTL', '3600'), []);
  assert.deepEqual(secretReasons('PWD', '/app'), []);
  assert.deepEqual(secretReasons('FEATURE_TOKEN_REFRESH', 'true'), []);
  assert.deepEqual(secretReasons('IMAGE_DIGEST', 'sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904e4b825dc642cb6eb9a060e54'), []);
  assert.deepEqual(secretReasons('CLUSTER', 'my-cluster.eu-west-1.eksctl.io'), []);
  assert.deepEqual(secretReasons('MESSAGE', 'HelloWorldThisIsAVeryLongCamelCaseIdentifier2024'), []);
  assert.deepEqual(secretReasons('CLASS', 'XmlHttpRequestFactoryBean2'), []);
  assert.deepEqual(secretReasons('REPLICA', 'ProductionDatabaseReplicaSet01'), []);
  assert.ok(secretReasons('X', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY').length > 0); // an AWS secret key's shape
  assert.ok(secretReasons('dbPassword', 'x').length > 0); // camelCase names
  assert.ok(secretReasons('KEY', '-----BEGIN RSA PRIVATE KEY-----\nMIIE…').length > 0);
  assert.ok(secretReasons('SLACK', 'xoxb-123456789012-abcdefghijkl').length > 0);
  assert.ok(secretReasons('CONN', 'Server=db;Database=x;User Id=sa;Password=p4ss;').length > 0);
});

test('analysePods: a truncated body is an error, never a partial guess', () => {
  const body = json(POD_LIST);
  const r = analysePods(body.subarray(0, 200), true);
  assert.equal(r.truncated, true);
  assert.match(r.error ?? '', /cut at the read limit/);
  assert.equal(r.count, 0);
});

test('analysePods: invalid JSON is an error that quotes nothing of the body', () => {
  const body = Buffer.from(`{"items": [ {"spec": {"containers": [{"env": [{"name": "X", "value": "${AWS_KEY}"}]}]}} ]`);
  const r = analysePods(body.subarray(0, body.length - 3), false);
  assert.match(r.error ?? '', /not valid JSON/);
  assert.ok(!JSON.stringify(r).includes('AKIA'));
  const bad = analysePods(Buffer.from(`${AWS_KEY} is not JSON`), false);
  assert.ok(!JSON.stringify(bad).includes('AKIA'));
});

test('analysePods: not a PodList, not UTF-8, empty', () => {
  assert.match(analysePods(json({ kind: 'Status', status: 'Failure' }), false).error ?? '', /not a PodList/);
  assert.match(analysePods(json([1, 2]), false).error ?? '', /not an object/);
  assert.match(analysePods(json({ items: 3 }), false).error ?? '', /not a list/);
  assert.match(analysePods(Buffer.from([0xff, 0xfe, 0x00]), false).error ?? '', /not UTF-8/);
  assert.match(analysePods(Buffer.alloc(0), false).error ?? '', /empty/);
  const none = analysePods(json({ kind: 'PodList', items: null }), false);
  assert.equal(none.error, undefined);
  assert.equal(none.count, 0);
});

test('analysePods: names with control characters are cleaned', () => {
  const r = analysePods(json({ kind: 'PodList', items: [pod('ns\u001b[31m', 'p\n', { containers: [{ name: 'c', securityContext: { privileged: true } }] })] }), false);
  assert.deepEqual(r.privileged, [{ namespace: 'ns?[31m', pod: 'p?', container: 'c' }]);
});

test('analysePods: work is capped (pods, containers per pod) and says so', () => {
  const many = { kind: 'PodList', items: Array.from({ length: LIMITS.pods + 5 }, (_, i) => pod('n', `p${i}`, { containers: [{ name: 'c', securityContext: { privileged: true } }] })) };
  const r = analysePods(json(many), false);
  assert.equal(r.count, LIMITS.pods + 5);
  assert.equal(r.privileged.length, Math.min(LIMITS.pods, LIMITS.entries));
  assert.equal(r.truncated, true);
  assert.match(r.limited ?? '', /only the first 10000 of 10005 pods/);

  const wide = { kind: 'PodList', items: [pod('n', 'wide', { containers: Array.from({ length: 150 }, (_, i) => ({ name: `c${i}`, securityContext: { privileged: true } })) })] };
  const w = analysePods(json(wide), false);
  assert.equal(w.privileged.length, LIMITS.containersPerPod);
  assert.match(w.limited ?? '', /more than 100 containers/);
});

test('analysePods: hostile values are judged in linear time (no regex blow-up)', () => {
  const n = 65_536;
  const values = ['a'.repeat(n), 'eyJ'.repeat(n / 3), 'AKIA'.repeat(n / 4), 'a:'.repeat(n / 2), 'a://a:'.repeat(n / 6), 'xoxb-'.repeat(n / 5), '-----BEGIN '.repeat(n / 11), 'aB3'.repeat(n / 3)];
  const body = json({ kind: 'PodList', items: [pod('n', 'p', { containers: [{ name: 'c', env: values.map((value, i) => ({ name: `TOKEN_${i}`, value })) }] })] });
  const t = performance.now();
  const r = analysePods(body, false);
  assert.ok(performance.now() - t < 2000, `took ${Math.round(performance.now() - t)} ms`);
  assert.equal(r.secretEnv.length, values.length); // all by name
});

// Property tests: hostile bytes and structures never throw; secret values never leak.

test('property: analysePods never throws on arbitrary bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (bytes, cut) => {
      const r = analysePods(Buffer.from(bytes), cut);
      assert.equal(typeof r.count, 'number');
    }),
    { numRuns: 500 },
  );
});

test('property: analysePods never throws on arbitrary JSON in PodList places', () => {
  const anyJson = fc.jsonValue({ maxDepth: 4 });
  const podish = fc.oneof(
    anyJson,
    fc.record({ metadata: anyJson, spec: fc.record({ volumes: anyJson, containers: fc.oneof(anyJson, fc.array(fc.record({ name: anyJson, env: anyJson, securityContext: anyJson, volumeMounts: anyJson }))) }) }),
  );
  fc.assert(
    fc.property(fc.oneof(anyJson, fc.record({ kind: fc.oneof(fc.constant('PodList'), anyJson), items: fc.oneof(anyJson, fc.array(podish, { maxLength: 5 })) })), (list) => {
      const r = analysePods(json(list), false);
      assert.ok(Array.isArray(r.secretEnv));
    }),
    { numRuns: 500 },
  );
});

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const chars = (alphabet: string, n: number) => fc.array(fc.constantFrom(...alphabet.split('')), { minLength: n, maxLength: n }).map((a) => a.join(''));
const secretValue = fc.oneof(
  chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16).map((s) => `AKIA${s}`),
  chars(alnum, 36).map((s) => `ghp_${s}`),
  fc.tuple(chars(alnum, 20), chars(alnum, 30), chars(alnum, 20)).map(([a, b, c]) => `eyJ${a}.eyJ${b}.${c}`),
  chars(alnum, 12).map((s) => `xoxb-${s}-${s}`),
  chars(alnum, 24).map((s) => `Pw!${s}`),
);
const secretName = fc.constantFrom('DB_PASSWORD', 'API_KEY', 'SECRET', 'AUTH_TOKEN', 'MY_VAR', 'X', 'aws_secret_access_key', 'PRIVATE_KEY');

test('property: a secret value never appears in the result, also when the body is cut or corrupt', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(secretName, secretValue), { minLength: 1, maxLength: 6 }),
      fc.nat(),
      fc.boolean(),
      (envs, cutAt, flip) => {
        const list = {
          kind: 'PodList',
          items: [pod('ns', 'p', { containers: [{ name: 'c', env: envs.map(([name, value]) => ({ name, value })) }] })],
        };
        const body = json(list);
        const variants = [body, body.subarray(0, cutAt % (body.length + 1))];
        if (flip) {
          const b = Buffer.from(body);
          b[cutAt % b.length] = 0x22; // a stray quote somewhere
          variants.push(b);
        }
        for (const v of variants) {
          for (const truncated of [false, true]) {
            const out = JSON.stringify(analysePods(v, truncated));
            for (const [, value] of envs) assert.ok(!out.includes(value), 'a secret value leaked');
          }
        }
        // every value found (the Pw! ones are plain passwords: found by a secret-like name only)
        const ok = analysePods(body, false);
        for (const [name, value] of envs) {
          if (value.startsWith('Pw!') && (name === 'X' || name === 'MY_VAR')) continue;
          assert.ok(ok.secretEnv.some((e) => e.fingerprint === sha8(value)), 'a secret was missed');
        }
      },
    ),
    { numRuns: 300 },
  );
});

// ─── /metrics ───────────────────────────────────────────────────────────────────────────────────

const METRICS = `# HELP kubernetes_build_info [ALPHA] A metric with a constant '1' value labeled by major, minor, git version, git commit, git tree state, build date, Go version, and compiler from which Kubernetes was built, and platform on which it is running.
# TYPE kubernetes_build_info gauge
kubernetes_build_info{build_date="2024-12-10T11:36:16Z",compiler="gc",git_commit="a78aa47129b8539636eb86a9d00e31b2720fe06b",git_tree_state="clean",git_version="v1.31.4",go_version="go1.22.9",major="1",minor="31",platform="linux/amd64"} 1
kubernetes_feature_enabled{name="AllAlpha",stage="ALPHA"} 0
`;

test('analyseMetrics: the version from kubernetes_build_info', () => {
  assert.deepEqual(analyseMetrics(METRICS), { kubeletVersion: 'v1.31.4', platform: 'linux/amd64' });
  assert.deepEqual(analyseMetrics(METRICS.replaceAll('\n', '\r\n')), { kubeletVersion: 'v1.31.4', platform: 'linux/amd64' });
  assert.deepEqual(analyseMetrics('kubernetes_build_info{git_version="v1.31.4",platform="windows/amd64"} 1'), { kubeletVersion: 'v1.31.4', platform: 'windows/amd64' });
  assert.deepEqual(analyseMetrics('kubernetes_build_info{git_version="v1.31.4",platform="\u001b[0m"} 1'), { kubeletVersion: 'v1.31.4' });
});

test('analyseMetrics: label order, escaped quotes, spaces, timestamps, vendor builds', () => {
  assert.deepEqual(analyseMetrics('kubernetes_build_info{git_version="v1.30.2-eks-1552ad0",major="1"} 1 1718000000000\n'), { kubeletVersion: 'v1.30.2-eks-1552ad0' });
  assert.deepEqual(analyseMetrics('kubernetes_build_info{ build_date="a \\"quoted\\" } date" , git_version = "v1.29.1+k3s1", } 1'), { kubeletVersion: 'v1.29.1+k3s1' });
  assert.deepEqual(analyseMetrics('kubernetes_build_info{note="back\\\\slash",git_version="1.28.0"} 1'), { kubeletVersion: '1.28.0' });
});

test('analyseMetrics: errors', () => {
  assert.match(analyseMetrics('up 1\n').error ?? '', /no kubernetes_build_info/);
  assert.match(analyseMetrics('kubernetes_build_info_total{git_version="v1.2.3"} 1').error ?? '', /no kubernetes_build_info/);
  assert.match(analyseMetrics('kubernetes_build_info{major="1"} 1').error ?? '', /no readable git_version/);
  assert.match(analyseMetrics('kubernetes_build_info{git_version="v1.31.4"').error ?? '', /no readable git_version/);
  const odd = analyseMetrics('kubernetes_build_info{git_version="\u001b[2Jnot-a-version"} 1');
  assert.match(odd.error ?? '', /not a Kubernetes version/);
  assert.ok(!odd.error!.includes('\u001b'));
});

test('property: analyseMetrics never throws and finds git_version among any labels', () => {
  const labelValue = fc.string({ maxLength: 20 }).map((s) => s.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n'));
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (t) => {
      analyseMetrics(t);
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'build_date', 'compiler', 'platform', 'x_y'), labelValue), { maxLength: 6 }), fc.nat({ max: 6 }), (labels, pos) => {
      const parts = labels.map(([k, v]) => `${k}="${v}"`);
      parts.splice(Math.min(pos, parts.length), 0, 'git_version="v1.33.2"');
      assert.equal(analyseMetrics(`# c\nkubernetes_build_info{${parts.join(',')}} 1\n`).kubeletVersion, 'v1.33.2');
    }),
    { numRuns: 300 },
  );
});

// ─── /configz ───────────────────────────────────────────────────────────────────────────────────

/** What a kubeadm v1.31 kubelet answers on /configz (Go's JSON: zero scalars left out, structs kept). */
function kubeadmConfigz(): Record<string, unknown> {
  return {
    enableServer: true,
    staticPodPath: '/etc/kubernetes/manifests',
    podLogsDir: '/var/log/pods',
    syncFrequency: '1m0s',
    fileCheckFrequency: '20s',
    httpCheckFrequency: '20s',
    address: '0.0.0.0',
    port: 10250,
    rotateCertificates: true,
    authentication: { x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' }, webhook: { enabled: true, cacheTTL: '2m0s' }, anonymous: { enabled: false } },
    authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } },
    registryPullQPS: 5,
    registryBurst: 10,
    eventRecordQPS: 50,
    eventBurst: 100,
    enableDebuggingHandlers: true,
    healthzPort: 10248,
    healthzBindAddress: '127.0.0.1',
    oomScoreAdj: -999,
    clusterDomain: 'cluster.local',
    clusterDNS: ['10.96.0.10'],
    streamingConnectionIdleTimeout: '4h0m0s',
    nodeStatusUpdateFrequency: '10s',
    nodeStatusReportFrequency: '5m0s',
    nodeLeaseDurationSeconds: 40,
    imageMinimumGCAge: '2m0s',
    imageMaximumGCAge: '0s',
    imageGCHighThresholdPercent: 85,
    imageGCLowThresholdPercent: 80,
    volumeStatsAggPeriod: '1m0s',
    cgroupRoot: '/',
    cgroupsPerQOS: true,
    cgroupDriver: 'systemd',
    cpuManagerPolicy: 'none',
    cpuManagerReconcilePeriod: '10s',
    draManagerReconcilePeriod: '0s',
    memoryManagerPolicy: 'None',
    topologyManagerPolicy: 'none',
    topologyManagerScope: 'container',
    runtimeRequestTimeout: '2m0s',
    hairpinMode: 'promiscuous-bridge',
    maxPods: 110,
    podPidsLimit: -1,
    resolvConf: '/run/systemd/resolve/resolv.conf',
    cpuCFSQuota: true,
    cpuCFSQuotaPeriod: '100ms',
    nodeStatusMaxImages: 50,
    maxOpenFiles: 1000000,
    contentType: 'application/vnd.kubernetes.protobuf',
    kubeAPIQPS: 50,
    kubeAPIBurst: 100,
    serializeImagePulls: true,
    evictionHard: { 'imagefs.available': '15%', 'memory.available': '100Mi', 'nodefs.available': '10%', 'nodefs.inodesFree': '5%' },
    evictionPressureTransitionPeriod: '5m0s',
    mergeDefaultEvictionSettings: false,
    enableControllerAttachDetach: true,
    makeIPTablesUtilChains: true,
    iptablesMasqueradeBit: 14,
    iptablesDropBit: 15,
    failSwapOn: true,
    memorySwap: {},
    containerLogMaxSize: '10Mi',
    containerLogMaxFiles: 5,
    containerLogMaxWorkers: 1,
    containerLogMonitorInterval: '10s',
    configMapAndSecretChangeDetectionStrategy: 'Watch',
    enforceNodeAllocatable: ['pods'],
    volumePluginDir: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/',
    logging: { format: 'text', flushFrequency: '5s', verbosity: 0, options: { text: { infoBufferSize: '0' }, json: { infoBufferSize: '0' } } },
    enableSystemLogHandler: true,
    enableSystemLogQuery: false,
    shutdownGracePeriod: '0s',
    shutdownGracePeriodCriticalPods: '0s',
    crashLoopBackOff: {},
    enableProfilingHandler: true,
    enableDebugFlagsHandler: true,
    seccompDefault: false,
    memoryThrottlingFactor: 0.9,
    registerNode: true,
    localStorageCapacityIsolation: true,
    containerRuntimeEndpoint: 'unix:///var/run/containerd/containerd.sock',
    failCgroupV1: false,
  };
}

const HOST = '10.0.0.5';

test('configzToEffective: every v1beta1 field, source configz, values as the node audit gives them', () => {
  const r = configzToEffective(json({ kubeletconfig: kubeadmConfigz() }), HOST);
  assert.equal(r.error, undefined);
  const eff = r.effective!;
  for (const f of V1BETA1_FIELDS) assert.ok(eff[f.path], `${f.path} missing`);
  assert.deepEqual(eff['authentication.anonymous.enabled'], { value: false, source: { kind: 'configz', detail: 'live configz from 10.0.0.5' } });
  assert.equal(eff['authorization.mode']!.value, 'Webhook');
  assert.equal(eff['authentication.webhook.cacheTTL']!.value, '2m0s');
  assert.equal(eff['podPidsLimit']!.value, -1);
  assert.deepEqual(eff['clusterDNS']!.value, ['10.96.0.10']);
  // absent scalar: its zero value, said so
  assert.equal(eff['readOnlyPort']!.value, 0);
  assert.match(eff['readOnlyPort']!.source.detail ?? '', /omits zero values/);
  assert.equal(eff['readOnlyPort']!.unknown, undefined);
  assert.equal(eff['tlsCertFile']!.value, '');
  assert.deepEqual(eff['tlsCipherSuites']!.value, []);
  assert.deepEqual(eff['featureGates']!.value, {});
  assert.equal(eff['memorySwap.swapBehavior']!.value, '');
  // flag-only settings
  for (const flag of ['--hostname-override', '--kubeconfig', '--bootstrap-kubeconfig', '--cert-dir']) {
    assert.deepEqual(eff[flag], { value: null, source: { kind: 'configz', detail: 'live configz from 10.0.0.5' }, unknown: 'flag-only settings are not in configz' });
  }
  // seccompDefault false may be overridden by the flag, which configz does not show
  assert.match(eff['seccompDefault']!.unknown ?? '', /ORs it with the --seccomp-default flag/);
});

test('configzToEffective: durations normalised, feature gates one by one, seccompDefault true kept', () => {
  const kc = { ...kubeadmConfigz(), streamingConnectionIdleTimeout: '30m', syncFrequency: '90s', seccompDefault: true, featureGates: { ContainerCheckpoint: false, RotateKubeletServerCertificate: true } };
  const eff = configzToEffective(json({ kubeletconfig: kc }), HOST).effective!;
  assert.equal(eff['streamingConnectionIdleTimeout']!.value, '30m0s');
  assert.equal(eff['syncFrequency']!.value, '1m30s');
  assert.equal(eff['seccompDefault']!.value, true);
  assert.equal(eff['featureGates.ContainerCheckpoint']!.value, false);
  assert.equal(eff['featureGates.RotateKubeletServerCertificate']!.source.kind, 'configz');
});

test('configzToEffective: a field this kubelet predates is unknown, not guessed', () => {
  const kc = kubeadmConfigz();
  delete kc['enableDebugFlagsHandler']; // defaulted pointer: always printed when the kubelet has it
  delete kc['imageMaximumGCAge']; // struct (duration): always printed
  const eff = configzToEffective(json({ kubeletconfig: kc }), HOST).effective!;
  assert.match(eff['enableDebugFlagsHandler']!.unknown ?? '', /predates it/);
  assert.equal(eff['enableDebugFlagsHandler']!.value, null);
  assert.match(eff['imageMaximumGCAge']!.unknown ?? '', /predates it/);
  // a pointer that is never defaulted is absent when nil: zero, as the node audit gives it
  assert.equal(eff['maxParallelImagePulls']!.value, 0);
  assert.match(eff['maxParallelImagePulls']!.source.detail ?? '', /nil/);
});

test('configzToEffective: wrong types make that setting unknown', () => {
  const kc = { ...kubeadmConfigz(), readOnlyPort: '10255', authentication: { anonymous: { enabled: 'yes' }, webhook: 7 }, streamingConnectionIdleTimeout: '4 hours' };
  const eff = configzToEffective(json({ kubeletconfig: kc }), HOST).effective!;
  assert.match(eff['readOnlyPort']!.unknown ?? '', /expected an integer/);
  assert.match(eff['authentication.anonymous.enabled']!.unknown ?? '', /expected true or false/);
  assert.match(eff['authentication.webhook.enabled']!.unknown ?? '', /authentication\.webhook as a number, expected an object/);
  assert.match(eff['streamingConnectionIdleTimeout']!.unknown ?? '', /invalid duration/);
  assert.equal(eff['authorization.mode']!.value, 'Webhook');
});

test('configzToEffective: credentials in staticPodURL and its headers are redacted', () => {
  const kc = { ...kubeadmConfigz(), staticPodURL: 'https://user:s3cr3t-pw@pods.example/list?token=tok-123456', staticPodURLHeader: { Authorization: ['Bearer abc.def.ghi'] } };
  const r = configzToEffective(json({ kubeletconfig: kc }), HOST);
  const out = JSON.stringify(r);
  for (const s of ['s3cr3t-pw', 'tok-123456', 'abc.def.ghi']) assert.ok(!out.includes(s), `${s} leaked`);
  assert.deepEqual(r.effective!['staticPodURLHeader']!.value, { Authorization: ['<redacted>'] });
  assert.match(String(r.effective!['staticPodURL']!.value), /^https:\/\/user:redacted@pods\.example\//);
});

test('configzToEffective: errors', () => {
  assert.match(configzToEffective(Buffer.from('404 page not found\n'), HOST).error ?? '', /not valid JSON/);
  assert.match(configzToEffective(json({ other: {} }), HOST).error ?? '', /no "kubeletconfig" object/);
  assert.match(configzToEffective(json({ componentconfig: {} }), HOST).error ?? '', /pre-1\.10/);
  assert.match(configzToEffective(json({ kubeletconfig: { apiVersion: 'kubelet.config.k8s.io/v1alpha1' } }), HOST).error ?? '', /not kubelet\.config\.k8s\.io\/v1beta1/);
  assert.match(configzToEffective(json([]), HOST).error ?? '', /not an object/);
});

test('property: configzToEffective never throws on arbitrary bytes or JSON', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
      configzToEffective(Buffer.from(bytes), HOST);
    }),
    { numRuns: 500 },
  );
  const anyJson = fc.jsonValue({ maxDepth: 4 });
  const keys = fc.constantFrom(...V1BETA1_FIELDS.map((f) => f.path.split('.')[0]!), 'authentication', 'authorization', 'featureGates');
  fc.assert(
    fc.property(fc.dictionary(keys, anyJson, { maxKeys: 12 }), (kc) => {
      const r = configzToEffective(json({ kubeletconfig: kc }), HOST);
      assert.ok(r.effective);
    }),
    { numRuns: 500 },
  );
});

test('property: header values and URL passwords in configz never appear in the result', () => {
  fc.assert(
    fc.property(chars(alnum, 16), chars(alnum, 16), (pw, hdr) => {
      const kc = { staticPodURL: `http://u:${pw}@h/x`, staticPodURLHeader: { 'X-Auth': [hdr, `${hdr}2`] } };
      const out = JSON.stringify(configzToEffective(json({ kubeletconfig: kc }), HOST));
      assert.ok(!out.includes(pw) && !out.includes(hdr));
    }),
    { numRuns: 200 },
  );
});

// ─── NodeFacts from configz: the node checks over a remote kubelet ─────────────────────────────

function remoteFindings(kc: Record<string, unknown>, version?: string): Finding[] {
  const eff = configzToEffective(json({ kubeletconfig: kc }), HOST).effective!;
  return runChecks(NODE_CHECKS, nodeFactsFromConfigz(eff, HOST, version, '2026-01-01T00:00:00Z'));
}

/** A pass is earned when it rests on configz evidence or on the version from /metrics. */
function earned(f: Finding): boolean {
  return f.evidence.some((e) => e.source?.kind === 'configz' || /kubernetes_build_info in \/metrics/.test(e.note ?? ''));
}

/** A hardened kubelet: most node checks pass, each on configz evidence. */
function hardenedConfigz(): Record<string, unknown> {
  return {
    ...kubeadmConfigz(),
    enableDebuggingHandlers: false,
    podPidsLimit: 4096,
    protectKernelDefaults: true,
    tlsCertFile: '/var/lib/kubelet/pki/kubelet-server.crt',
    tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet-server.key',
    tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
    enableSystemLogHandler: false,
    enableProfilingHandler: false,
    enableDebugFlagsHandler: false,
    seccompDefault: true,
    featureGates: { RotateKubeletServerCertificate: true },
  };
}

// Known gap outside this module: kubelet-config-warnings passes whenever the facts hold no
// diagnostics, and a remote scan has none to hold (it never reads the files). It needs an
// `invocation` guard (unknown without one) in src/checks/evidence/config-warnings.ts.
const KNOWN_UNEARNED = new Set(['kubelet-config-warnings']);

test('nodeFactsFromConfigz: no node check passes for lack of evidence', () => {
  for (const [kc, version] of [[kubeadmConfigz(), 'v1.31.4'], [hardenedConfigz(), 'v1.34.1'], [kubeadmConfigz(), undefined], [{}, undefined]] as const) {
    const findings = remoteFindings(kc, version);
    assert.ok(findings.filter((f) => f.status === 'pass').length >= (Object.keys(kc).length > 0 ? 10 : 0));
    const unearned = findings.filter((f) => f.status === 'pass' && !earned(f) && !KNOWN_UNEARNED.has(f.check));
    assert.deepEqual(unearned.map((f) => `${f.check}: ${f.message}`), []);
    // what a remote scan cannot see is unknown, not a verdict
    const by = (id: string) => findings.filter((f) => f.check === id).map((f) => f.status);
    assert.deepEqual(by('kubelet-evidence-complete'), ['unknown']);
    assert.deepEqual(by('file-kubelet-service-perms'), ['unknown']);
    assert.deepEqual(by('file-kubelet-kubeconfig-perms'), ['unknown']);
    assert.deepEqual(by('kubelet-hostname-override'), ['unknown']);
    assert.deepEqual(by('listener-read-only-port'), ['unknown']);
    assert.deepEqual(by('runtime-socket-access'), ['unknown']);
    assert.deepEqual(by('etcd-client-cert-auth'), ['unknown']);
    assert.deepEqual(by('cert-not-expired'), ['unknown']);
  }
});

test('nodeFactsFromConfigz: kubelet-config-warnings should not pass without files', () => {
  const f = remoteFindings(kubeadmConfigz(), 'v1.31.4').find((x) => x.check === 'kubelet-config-warnings')!;
  assert.notEqual(f.status, 'pass');
});

test('nodeFactsFromConfigz: the configuration checks judge the live values', () => {
  const secure = remoteFindings(kubeadmConfigz(), 'v1.31.4');
  const status = (fs: Finding[], id: string) => fs.find((f) => f.check === id)?.status;
  assert.equal(status(secure, 'kubelet-anonymous-auth'), 'pass');
  assert.equal(status(secure, 'kubelet-authorization-mode'), 'pass');
  assert.equal(status(secure, 'kubelet-read-only-port'), 'pass');
  const anon = secure.find((f) => f.check === 'kubelet-anonymous-auth')!;
  assert.equal(anon.evidence[0]?.source?.kind, 'configz');

  // a kubelet on its legacy flag defaults (no --config): what configz shows then
  const open = { ...kubeadmConfigz(), readOnlyPort: 10255, authentication: { x509: {}, webhook: { enabled: false, cacheTTL: '2m0s' }, anonymous: { enabled: true } }, authorization: { mode: 'AlwaysAllow', webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } } };
  const bad = remoteFindings(open, 'v1.31.4');
  assert.equal(status(bad, 'kubelet-anonymous-auth'), 'fail');
  assert.equal(status(bad, 'kubelet-authorization-mode'), 'fail');
  assert.equal(status(bad, 'kubelet-read-only-port'), 'fail');
  assert.equal(status(bad, 'kubelet-api-open-to-anyone'), 'fail');
  // the version from /metrics reaches the CVE table, with the read-only port from configz
  const cve = bad.find((f) => f.check === 'cve-known-kubelet-vulnerabilities' && f.subject === 'CVE-2025-0426')!;
  assert.equal(cve.status, 'fail');
  assert.match(cve.evidence.map((e) => e.note ?? '').join(' '), /kubernetes_build_info in \/metrics of 10\.0\.0\.5/);
});

test('nodeFactsFromConfigz: shape', () => {
  const eff = configzToEffective(json({ kubeletconfig: kubeadmConfigz() }), HOST).effective!;
  const f = nodeFactsFromConfigz(eff, HOST, 'v1.31.4');
  assert.equal(f.target, 'live configz from 10.0.0.5');
  assert.equal(f.kubelet.invocation, undefined);
  assert.equal(f.kubelet.missing, undefined);
  assert.deepEqual(f.files, {});
  assert.deepEqual(f.kubelet.version, { value: 'v1.31.4', source: 'kubernetes_build_info in /metrics of 10.0.0.5' });
  assert.equal(f.staticPods?.path, '/etc/kubernetes/manifests');
  assert.ok(f.staticPods?.unknown);
  // no staticPodPath and no URL: configz proves there are no static pods
  const none = nodeFactsFromConfigz(configzToEffective(json({ kubeletconfig: { ...kubeadmConfigz(), staticPodPath: undefined } }), HOST).effective!, HOST);
  assert.deepEqual(none.staticPods, { path: '', manifests: [], url: '' });
  assert.equal(none.kubelet.version, undefined);
});

test('hostile answers are bounded: JSON shape checked before parsing, /metrics read line by line in linear time', () => {
  const MB = 1024 * 1024;
  const t0 = performance.now();
  // 5 million objects: refused before JSON.parse would hold them (700 MiB)
  const many = analysePods(Buffer.from(`{"kind":"PodList","items":[${'{},'.repeat(5_000_000)}{}]}`), false);
  assert.match(many.error ?? '', /^the \/pods answer holds more than 1,000,000 JSON objects and lists \(\d+ bytes\): not analysed$/);
  const deep = analysePods(Buffer.from(`{"kind":"PodList","items":${'['.repeat(MB)}${']'.repeat(MB)}}`), false);
  assert.match(deep.error ?? '', /nests JSON deeper than 1000 levels \(at byte 1025\)/);
  // brackets inside strings are text, escaped quotes included
  assert.equal(jsonShapeError(Buffer.from(`["${'[{\\"'.repeat(5000)}"]`), { containers: 2, depth: 2 }), undefined);
  assert.match(jsonShapeError(Buffer.from('[[[]]]'), { containers: 10, depth: 2 }) ?? '', /deeper than 2 levels \(at byte 2\)/);
  // the pattern that was cubic: 4 MB of `kubernetes_build_info{` on one line
  assert.match(analyseMetrics('kubernetes_build_info{'.repeat(190_000)).error ?? '', /no readable git_version/);
  assert.deepEqual(analyseMetrics(`${'\n'.repeat(2 * MB)}kubernetes_build_info{git_version="v1.31.4"} 1`), { kubeletVersion: 'v1.31.4' });
  assert.match(analyseMetrics(`kubernetes_build_info{git_version="v1.31.4${'x'.repeat(4 * MB)}"} 1`).error ?? '', /no readable git_version/);
  const gates = Object.fromEntries(Array.from({ length: MAX_FEATURE_GATES + 1 }, (_, i) => [`Gate${i}`, true]));
  const c = configzToEffective(Buffer.from(JSON.stringify({ kubeletconfig: { featureGates: gates } })), 'h');
  assert.match(c.effective?.['featureGates']?.unknown ?? '', /configz lists 2,001 feature gates; a kubelet knows a few hundred and refuses to start with any other/);
  assert.ok(!Object.keys(c.effective ?? {}).some((k) => k.startsWith('featureGates.')));
  assert.ok(performance.now() - t0 < 10_000, `took ${Math.round(performance.now() - t0)} ms`);
});
