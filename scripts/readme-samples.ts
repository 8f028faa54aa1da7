// Writes the samples of real output that the documentation shows, between their markers, so the
// documentation cannot disagree with the tool:
//   README.md                 the JSON sample (`kubelet-guard node --root examples/nodes/kubeadm-worker --format json`, shortened)
//   examples/nodes/README.md  each example's verdicts ("What a correct audit says")
// Day counts measured from today ("valid until … (36464 days)") are written as "(… days)", so a
// sample does not go stale overnight. The owners in the examples are right only when
// scripts/setup-examples.js ran as root, so the samples are made (and checked) as root.
//
// Usage: node scripts/readme-samples.ts          rewrite the files
//        node scripts/readme-samples.ts --check  change nothing; exit 1 if a file differs
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../src/cli.ts';
import { SEVERITIES, type Finding } from '../src/checks/types.ts';
import type { NodeReport } from '../src/report/model.ts';

const REPO = path.resolve(import.meta.dirname, '..');
export const EXAMPLES = ['kubeadm-worker', 'legacy-flags', 'eks-al2023', 'insecure', 'kubeadm-control-plane', 'kubeadm-control-plane-insecure', 'eks-al2', 'aks', 'gke', 'bottlerocket', 'openshift-worker', 'microk8s', 'kind', 'talos', 'k3s-server', 'rke2-agent'];

/** The JSON report of `kubelet-guard node --root examples/nodes/<name>`, run in-process. */
async function nodeReport(name: string): Promise<NodeReport> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const cwd = process.cwd();
  process.chdir(REPO); // the target is printed as given: examples/nodes/<name>
  try {
    await main(['node', 'kubelet-guard', 'node', '--root', `examples/nodes/${name}`, '--format', 'json', '--fail-on', 'none'], { out, err: new PassThrough() });
  } finally {
    process.chdir(cwd);
  }
  return JSON.parse(text) as NodeReport;
}

/** Day counts from today are not part of a sample. */
const undated = (s: string) => s.replace(/\((\d+) days( ago)?\)/g, '(… days$2)');

/** JSON with small objects and arrays on one line (at most `width` columns), larger ones spread out. */
function compact(v: unknown, indent = '', width = 120): string {
  const flat = JSON.stringify(v, null, 1).replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']');
  if (v === null || typeof v !== 'object' || indent.length + flat.length <= width) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + compact(x, inner, width)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${compact(x, inner, width)}`).join(',\n')}\n${indent}}`;
}

const ELLIPSIS = '…';

/** The README's JSON sample: the report's shape with a few findings and settings of each kind. */
export function jsonSample(r: NodeReport): string {
  const pick = (ids: string[]) => ids.map((id) => r.findings.find((f) => f.check === id)).filter((f): f is Finding => f !== undefined);
  const settings = ['readOnlyPort', 'streamingConnectionIdleTimeout', 'authentication.anonymous.enabled', '--kubeconfig'];
  const sample = {
    schemaVersion: r.schemaVersion,
    generatedAt: ELLIPSIS,
    tool: r.tool,
    inputs: r.inputs,
    target: r.target,
    mode: r.mode,
    privileged: r.privileged,
    ...(r.benchmark ? { benchmark: r.benchmark } : {}),
    kubelet: { ...r.kubelet, argv: [...(r.kubelet.argv ?? []).slice(0, 2), ELLIPSIS] },
    effectiveConfig: { ...Object.fromEntries(settings.filter((k) => k in r.effectiveConfig).map((k) => [k, r.effectiveConfig[k]])), [ELLIPSIS]: `${Object.keys(r.effectiveConfig).length - settings.length} more: every v1beta1 field, the flag-only settings, and featureGates.<Gate> for each gate named` },
    findings: [...pick(['kubelet-read-only-port', 'cert-serving-ca-signed']), `${ELLIPSIS} ${r.findings.length - 2} more`],
    summary: r.summary,
  };
  return undated(compact(sample));
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const ids = (fs: Finding[]) => [...new Map(fs.map((f) => [f.check, f])).values()].map((f) => `\`${f.check}\`${f.cis.length > 0 ? ` (${f.cis.join(', ')})` : ''}`).join(', ');

/** An example's verdicts: the summary, every failed and unknown finding, the checks that passed and those that do not apply. */
export function verdicts(r: NodeReport): string {
  const s = r.summary;
  const sev = Object.entries(s.failBySeverity).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
  const out = [`**${s.fail} failed**${sev ? ` (${sev})` : ''}, ${s.pass} passed, ${s.unknown} unknown, ${s['not-applicable']} not applicable.`, ''];
  // as the table lists them: the failures most severe first, then the unknown findings
  const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
  const shown = [...r.findings.filter((f) => f.status === 'fail').sort((a, b) => rank(a) - rank(b)), ...r.findings.filter((f) => f.status === 'unknown')];
  if (shown.length > 0) {
    out.push('| verdict | CIS | severity | check | about | why |', '|---|---|---|---|---|---|');
    for (const f of shown) out.push(`| ${f.status} | ${f.cis.join(', ') || '-'} | ${f.severity} | \`${f.check}\` | ${cell(f.subject ?? '')} | ${cell(undated(f.message))} |`);
    out.push('');
  }
  out.push(`Passed: ${ids(r.findings.filter((f) => f.status === 'pass')) || 'none'}.`, '');
  out.push(`Not applicable: ${ids(r.findings.filter((f) => f.status === 'not-applicable')) || 'none'}.`);
  return out.join('\n');
}

/** `text` with what lies between `<!-- begin: KEY … -->` and `<!-- end: KEY -->` replaced by `body`. */
export function between(text: string, key: string, body: string, file: string): string {
  const begin = new RegExp(`(<!-- begin: ${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b[^>]*-->\\n)[\\s\\S]*?(<!-- end: ${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} -->)`);
  if (!begin.test(text)) throw new Error(`${file}: no markers <!-- begin: ${key} --> … <!-- end: ${key} -->`);
  return text.replace(begin, (_m, a: string, b: string) => `${a}${body}\n${b}`);
}

/** Every file the samples live in, as it should read: path (relative to the repository) → text. */
export async function renderSamples(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  files.set('README.md', between(readme, 'node-json-sample', `\`\`\`json\n${jsonSample(await nodeReport('kubeadm-worker'))}\n\`\`\``, 'README.md'));
  let ex = fs.readFileSync(path.join(REPO, 'examples/nodes/README.md'), 'utf8');
  for (const name of EXAMPLES) ex = between(ex, `verdicts ${name}`, verdicts(await nodeReport(name)), 'examples/nodes/README.md');
  files.set('examples/nodes/README.md', ex);
  return files;
}

if (import.meta.main) {
  if (process.getuid?.() !== 0) {
    process.stderr.write('readme-samples: run as root (after node scripts/setup-examples.js as root): the examples\' owners are right only then\n');
    process.exit(1);
  }
  const check = process.argv.includes('--check');
  let differs = false;
  for (const [file, text] of await renderSamples()) {
    const full = path.join(REPO, file);
    if (fs.readFileSync(full, 'utf8') === text) continue;
    differs = true;
    if (check) process.stderr.write(`readme-samples: ${file} differs from the tool's output (run: node scripts/readme-samples.ts)\n`);
    else fs.writeFileSync(full, text);
  }
  process.exit(check && differs ? 1 : 0);
}
