// `kubelet-guard cluster --node-audit` end to end against the API-server simulator and its Jobs
// (job-sim.ts): the Job's pod log is the real output of `kubelet-guard node` on an example node
// tree, merged into its node's section with its provenance; the Jobs that cannot give a report
// (image pull error, never scheduled, the per-node deadline, a garbage log) make their node
// unknown with the reason; nothing is left behind after a run, nor after Ctrl-C.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import https from 'node:https';
import { startApiServerSim, type ApiServerSim } from './apiserver-sim.ts';
import { jobSim, type JobMode, type JobSim } from './job-sim.ts';
import { runCli } from '../run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/kubelet-guard.js`;
const name = (i: number) => `node-${String(i).padStart(5, '0')}`;
const nodeLog = (example: string) => execFileSync(process.execPath, [BIN, 'node', '--root', `${ROOT}examples/nodes/${example}`, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8' });

const MODES: JobMode[] = ['ok', 'ok', 'pull-error', 'unschedulable', 'hang', 'ok', 'exit-2'];
let deleteFailures: (node: string) => number = () => 0;
const GARBAGE = Buffer.concat([Buffer.from('\x1b]0;pwned\x07{"tool": {"name": "kubelet-guard"'), Buffer.from([0xff, 0xfe, 0x00])]);

let sim: ApiServerSim;
let jobs: JobSim;
let logs: string[];
before(async () => {
  logs = [nodeLog('kubeadm-worker'), nodeLog('insecure')];
  jobs = jobSim({
    namespaces: { 'kubelet-guard': { 'pod-security.kubernetes.io/enforce': 'privileged' }, 'baseline-ns': { 'pod-security.kubernetes.io/enforce': 'baseline' } },
    mode: (node) => MODES[Number(node.slice(5))] ?? 'ok',
    log: (node) => (node === name(5) ? GARBAGE : logs[Number(node.slice(5)) % 2]!),
    deleteFailures: (node) => deleteFailures(node),
  });
  sim = await startApiServerSim({
    nodes: MODES.length, podsPerNode: 2, bindings: 4, namespaces: 3, kubeletVersion: 'v1.31.4',
    // node 1's live configuration cannot be read: its Job's report speaks for its configuration too
    configz: (i) => (i === 1 ? 'forbidden' : 'ok'), override: jobs.override,
  });
});
after(async () => {
  await sim?.close();
});

interface F { check: string; section: string; status: string; severity: string; subject?: string; message: string; evidence: { note?: string }[] }
interface N { name: string; configz: string; nodeAudit?: string; summary: { fail: number; unknown: number } }
const FAST = ['--node-audit-poll', '20', '--timeout', '3000'];

test('--node-audit on 7 nodes: 2 reports merged, 5 nodes unknown with the reason, every Job deleted', async () => {
  const before = jobs.created().length;
  const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--node-audit', '--node-audit-timeout', '3s', '--node-audit-concurrency', '3', ...FAST);
  assert.equal(r.code, 1, r.err); // the insecure example fails at high
  assert.match(r.err, /creating 7 Job\(s\) in the namespace kubelet-guard \(image ghcr\.io\/kubelet-guard\/kubelet-guard:\d+\.\d+\.\d+, 3 at a time/);
  assert.match(r.err, /kubectl -n kubelet-guard delete jobs -l kubelet-guard\.io\/run=[0-9a-f]{8}/);
  assert.deepEqual(jobs.live(), [], 'no Job left behind');
  const made = jobs.created().slice(before);
  assert.equal(made.length, 7);
  assert.equal(jobs.maxLive(), 3, '--node-audit-concurrency 3');
  assert.deepEqual(new Set(made.map((j) => j.node)), new Set(MODES.map((_, i) => name(i))));
  assert.deepEqual(jobs.deletes().slice(-7).map((d) => d.propagationPolicy), Array(7).fill('Background'));

  const rep = JSON.parse(r.out) as { nodes: N[]; findings: F[] };
  const node = (i: number) => rep.nodes.find((n) => n.name === name(i))!;
  assert.equal(node(0).nodeAudit, 'ok');
  assert.equal(node(1).nodeAudit, 'ok');
  assert.match(node(2).nodeAudit ?? '', /cannot start: ErrImagePull: rpc error.*not found \(image ghcr\.io/);
  assert.match(node(3).nodeAudit ?? '', /deadline.*never scheduled: Unschedulable: 0\/6 nodes are available/);
  assert.match(node(4).nodeAudit ?? '', /stopped: its deadline \(--node-audit-timeout, 3000 ms\) passed; the audit pod is Running/);
  assert.match(node(5).nodeAudit ?? '', /not UTF-8/);
  assert.match(node(6).nodeAudit ?? '', /^the audit pod failed \(exit code 2, Error\); the log is not a node audit's JSON report$/);

  const own = (i: number) => rep.findings.filter((f) => f.subject === name(i) || f.subject?.startsWith(`${name(i)} `) || f.subject?.startsWith(`${name(i)}/`));
  // a node without a report: one unknown node-audit-job finding with the reason, nothing from a log
  for (const i of [2, 3, 4, 5, 6]) {
    const na = own(i).filter((f) => f.check === 'node-audit-job');
    assert.equal(na.length, 1);
    assert.equal(na[0]!.status, 'unknown');
    assert.ok(na[0]!.message.includes(node(i).nodeAudit!));
    assert.ok(!own(i).some((f) => f.evidence[0]?.note?.startsWith('from the node audit Job')));
  }
  // node 0: the files, static pods, sockets and certificates from its Job, its configuration from configz only
  const fromJob = (i: number) => own(i).filter((f) => f.evidence[0]?.note?.startsWith('from the node audit Job kubelet-guard/kubelet-guard-'));
  const sections0 = new Set(fromJob(0).map((f) => f.section));
  for (const s of ['cis-4.1', 'certificates', 'runtime-sockets', 'static-pods']) assert.ok(sections0.has(s), `${s} from the Job: ${[...sections0].join(' ')}`);
  for (const s of ['cis-4.2', 'kubelet-api', 'versions']) assert.ok(!sections0.has(s), `${s} is configz's`);
  assert.ok(own(0).some((f) => f.section === 'cis-4.2' && !f.evidence[0]?.note?.startsWith('from the node audit Job')));
  // node 1 (configz forbidden): its configuration findings come from its Job, and fail as the insecure example does
  assert.ok(fromJob(1).some((f) => f.check === 'kubelet-anonymous-auth' && f.status === 'fail'));
  assert.ok(own(1).some((f) => f.check === 'node-configz' && f.status === 'unknown'));
  // one verdict per check and subject
  const keys = rep.findings.filter((f) => f.subject?.startsWith('node-')).map((f) => `${f.check} ${f.subject}`);
  assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), []);
  assert.ok(node(0).summary.fail + node(0).summary.unknown > 0);
  assert.doesNotMatch(r.out + r.err, /\x1b\]0;pwned/);
});

test('the Job is the pod of deploy/job: pinned to its node, host / read-only, uid 0 without capabilities, no token, bounded', async () => {
  const j = jobs.created()[0]!;
  const s = j.spec as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(s.metadata.labels['app.kubernetes.io/managed-by'], 'kubelet-guard');
  assert.match(s.metadata.labels['kubelet-guard.io/run'], /^[0-9a-f]{8}$/);
  assert.equal(s.spec.backoffLimit, 0);
  assert.equal(s.spec.activeDeadlineSeconds, 3);
  assert.ok(s.spec.ttlSecondsAfterFinished > 0);
  const p = s.spec.template.spec;
  assert.deepEqual(p.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
    [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [j.node] }] }]);
  assert.deepEqual(p.tolerations, [{ operator: 'Exists' }]);
  assert.equal(p.automountServiceAccountToken, false);
  assert.equal(p.restartPolicy, 'Never');
  assert.equal(p.securityContext.seccompProfile.type, 'RuntimeDefault');
  const c = p.containers[0];
  assert.deepEqual(c.args, ['node', '--root', '/host', '--format', 'json', '--fail-on', 'none']);
  assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'] });
  assert.equal(c.securityContext.runAsUser, 0);
  assert.equal(c.securityContext.allowPrivilegeEscalation, false);
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  assert.deepEqual(c.volumeMounts, [{ name: 'host', mountPath: '/host', readOnly: true, recursiveReadOnly: 'IfPossible' }]);
  assert.deepEqual(p.volumes, [{ name: 'host', hostPath: { path: '/', type: 'Directory' } }]);
});

test('--nodes and the table: the report merged under its node, marked as the Job\'s, --image used', async () => {
  const before = jobs.created().length;
  const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--no-color', '--node-audit', '--nodes', `${name(0)},${name(1)}`, '--image', 'registry.example/kg:test', ...FAST);
  assert.equal(r.code, 1, r.err);
  assert.deepEqual(jobs.created().slice(before).map((j) => j.node).sort(), [name(0), name(1)]);
  assert.equal((jobs.created().at(-1)!.spec as any).spec.template.spec.containers[0].image, 'registry.example/kg:test'); // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.deepEqual(jobs.live(), []);
  assert.match(r.out, /node-00000 .*\n {4}node audit Job: report merged\n/);
  assert.doesNotMatch(r.out, /node-00002 .*\n {4}node audit Job/);
  assert.match(r.out, /from the node audit Job: the node's own report/);
  assert.doesNotMatch(r.out, /INCOMPLETE/);
});

test('a namespace that does not exist or enforces baseline: no Job created, said clearly, every node unknown, exit 3 at most', async () => {
  for (const [ns, why] of [['nowhere', /the namespace nowhere does not exist/], ['baseline-ns', /enforces Pod Security "baseline".*pod-security\.kubernetes\.io\/enforce=privileged/]] as const) {
    const before = jobs.created().length;
    const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--fail-on', 'none', '--node-audit', '--namespace', ns, ...FAST);
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, why);
    assert.match(r.err, /no Job created/);
    assert.doesNotMatch(r.err, /creating \d+ Job/);
    assert.equal(jobs.created().length, before);
    const rep = JSON.parse(r.out) as { nodes: N[] };
    assert.ok(rep.nodes.every((n) => /^not run: /.test(n.nodeAudit ?? '')));
  }
});

test('the run deadline stops the Jobs in flight and deletes them; a node named with --nodes that does not exist is said', async () => {
  const r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--fail-on', 'none', '--node-audit', '--nodes', `${name(4)},node-99999`,
    '--node-audit-timeout', '10m', '--deadline', '1500', ...FAST);
  assert.equal(r.code, 3, r.err);
  assert.match(r.err, /--nodes: the API server lists no node node-99999/);
  assert.match(r.err, /incomplete: the run deadline \(--deadline 1500\) passed/);
  assert.deepEqual(jobs.live(), []);
  const rep = JSON.parse(r.out) as { nodes: N[] };
  assert.match(rep.nodes.find((n) => n.name === name(4))?.nodeAudit ?? '', /stopped: the run deadline \(--deadline 1500\) passed/);
});

test('a delete that fails is tried again at the end; one that keeps failing is said, with the command that finds the leftovers', async () => {
  try {
    deleteFailures = (node) => (node === name(0) ? 1 : 0);
    let r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--fail-on', 'none', '--node-audit', '--nodes', name(0), ...FAST);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /could not delete the Job kubelet-guard\/kubelet-guard-[0-9a-f]{8}-0: HTTP 500: etcdserver: request timed out/);
    assert.doesNotMatch(r.err, /could not be deleted/);
    assert.deepEqual(jobs.live(), []);

    deleteFailures = (node) => (node === name(0) ? 99 : 0);
    r = await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--fail-on', 'none', '--node-audit', '--nodes', name(0), ...FAST);
    assert.match(r.err, /1 Job\(s\) could not be deleted .*delete them with: kubectl -n kubelet-guard delete jobs -l kubelet-guard\.io\/run=[0-9a-f]{8}/);
    assert.equal(jobs.live().length, 1);
    JSON.parse(r.out); // the report is whole
  } finally {
    deleteFailures = () => 0;
    // what the test left: deleted as a user would, through the API
    for (const key of jobs.live()) {
      const [ns, job] = key.split('/');
      await new Promise<void>((resolve) => {
        const req = https.request(`${sim.url}/apis/batch/v1/namespaces/${ns}/jobs/${job}`, { method: 'DELETE', ca: sim.ca, headers: { Authorization: `Bearer ${sim.token}` } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.end();
      });
    }
    assert.deepEqual(jobs.live(), []);
  }
});

test('its options need --node-audit; bad values are usage errors', async () => {
  assert.equal((await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--image', 'x')).code, 2);
  assert.equal((await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--node-audit', '--namespace', 'Bad_NS')).code, 2);
  assert.equal((await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--node-audit', '--image', 'a b')).code, 2);
  assert.equal((await runCli('cluster', '--kubeconfig', sim.kubeconfigPath, '--node-audit', '--node-audit-timeout', 'soon')).code, 2);
  assert.equal(jobs.live().length, 0);
});

test('Ctrl-C while Jobs run: they are deleted, the report is written, exit 3', async () => {
  const before = jobs.created().length;
  // the nodes' pods never finish (node 4 hangs; the others wait for the deadline too with --nodes)
  // the sources, not bin's bundle (dist/ is built by npm ci, and may predate this change)
  const cli = `import { main } from ${JSON.stringify(`${ROOT}src/cli.ts`)}; process.exitCode = await main(process.argv, { out: process.stdout, err: process.stderr });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', cli, 'kubelet-guard', 'cluster', '--kubeconfig', sim.kubeconfigPath, '--format', 'json', '--fail-on', 'none',
    '--node-audit', '--nodes', name(4), '--node-audit-timeout', '10m', '--deadline', '20m', ...FAST], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await Promise.race([jobs.createdCount(before + 1), exited.then((c) => assert.fail(`exited ${c}: ${err}`))]);
  assert.equal(jobs.live().length, 1);
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 3, err);
  assert.match(err, /interrupted: stopping and deleting the node audit Jobs/);
  assert.deepEqual(jobs.live(), [], 'the Job was deleted');
  assert.equal(jobs.deletes().at(-1)?.propagationPolicy, 'Background');
  const rep = JSON.parse(out) as { nodes: N[] };
  assert.match(rep.nodes.find((n) => n.name === name(4))?.nodeAudit ?? '', /stopped: interrupted \(SIGINT\)/);
});
