// The documentation's samples of output are the tool's output: the README's JSON sample and each
// example's verdicts in examples/nodes/README.md are regenerated and compared (run:
// node scripts/readme-samples.ts), and what the prose around them says of a CIS item ("4.2.4
// **fail**", "4.1.9/4.1.10 pass", "not applicable") agrees with the tool's verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { EXAMPLES, renderSamples } from '../scripts/readme-samples.ts';
import { main } from '../src/cli.ts';
import type { NodeReport } from '../src/report/model.ts';

const asRoot = process.getuid?.() === 0 ? false : 'the examples\' owners are right only when the setup ran as root';

test('README.md and examples/nodes/README.md hold the tool\'s real output (run: node scripts/readme-samples.ts)', { skip: asRoot }, async () => {
  for (const [file, text] of await renderSamples()) assert.equal(fs.readFileSync(file, 'utf8'), text, `${file} is stale: run node scripts/readme-samples.ts`);
});

async function report(name: string): Promise<NodeReport> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  await main(['node', 'kubelet-guard', 'node', '--root', `examples/nodes/${name}`, '--format', 'json', '--fail-on', 'none'], { out, err: new PassThrough() });
  return JSON.parse(text) as NodeReport;
}

/** The prose claims of one example's section: [CIS id, claimed status]. */
export function claims(section: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const prose = section.replace(/<!-- begin:[\s\S]*?<!-- end:[^>]*-->/g, '');
  // "4.2.1 **fail**", "4.1.1/4.1.2 pass", "4.1.9/4.1.10 not applicable" — a list of ids, then the verdict word
  for (const m of prose.matchAll(/\b((?:\d\.\d+\.\d+)(?:\/\d\.\d+\.\d+)*)(?: \([^)]*\))? (?:\*\*)?(pass|fail|not applicable)\b/g)) {
    for (const id of m[1]!.split('/')) out.push([id, m[2] === 'not applicable' ? 'not-applicable' : m[2]!]);
  }
  return out;
}

test('the prose about each example agrees with the tool', { skip: asRoot }, async () => {
  const doc = fs.readFileSync('examples/nodes/README.md', 'utf8');
  const wrong: string[] = [];
  for (const name of EXAMPLES) {
    const section = doc.split(/^## /m).find((s) => s.startsWith(`${name}\n`));
    assert.ok(section, name);
    const r = await report(name);
    for (const [id, status] of claims(section)) {
      const got = r.findings.filter((f) => f.cis.includes(id)).map((f) => f.status);
      if (got.length === 0) continue; // an item the tool has no check for: the text describes the node, not a verdict
      if (!got.includes(status as never)) wrong.push(`${name}: the text says ${id} ${status}, the tool says ${[...new Set(got)].join('/') || 'nothing'}`);
    }
  }
  assert.deepEqual(wrong, []);
});
