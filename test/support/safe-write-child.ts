// Child of test/safe-write-kill.test.ts: applies a plan under KG_ROOT (new contents read from
// KG_NEW) and, when KG_KILL_AT=N, SIGKILLs itself just before step N (0-based) of applyWrites.
// Prints the number of steps of a run it completes.
import fs from 'node:fs';
import path from 'node:path';
import { applyWrites } from '../../src/fix/safe-write.ts';

const root = process.env.KG_ROOT!;
const fresh = process.env.KG_NEW!;
const killAt = process.env.KG_KILL_AT === undefined ? -1 : Number(process.env.KG_KILL_AT);
let n = 0;
const plan = fs.readdirSync(fresh).sort().map((name) => ({ path: `/etc/kubernetes/${name}`, content: fs.readFileSync(path.join(fresh, name)) }));
const r = applyWrites(plan, {
  root,
  now: new Date(Date.UTC(2026, 11, 6, 14, 5, 9)),
  hook: () => {
    if (n++ === killAt) process.kill(process.pid, 'SIGKILL');
  },
});
if (!r.ok) {
  process.stderr.write(`${r.file} ${r.step}: ${r.error}\n`);
  process.exit(1);
}
process.stdout.write(`${n}\n`);
