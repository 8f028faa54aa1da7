// Child of test/safe-write-kill.test.ts: applies the plan in KG_PLAN (a JSON file: writes whose
// content is read from a host file, and attribute changes) under KG_ROOT and, when KG_KILL_AT=N,
// SIGKILLs itself just before step N (0-based) of applyWrites. Prints the number of steps of a
// run it completes.
import fs from 'node:fs';
import { applyWrites, type PlannedAttr } from '../../src/fix/safe-write.ts';

interface ChildWrite {
  path: string;
  contentFile: string;
  create?: true;
  mode?: number;
  uid?: number;
  gid?: number;
}

const root = process.env.KG_ROOT!;
const { writes, attrs } = JSON.parse(fs.readFileSync(process.env.KG_PLAN!, 'utf8')) as { writes: ChildWrite[]; attrs: PlannedAttr[] };
const killAt = process.env.KG_KILL_AT === undefined ? -1 : Number(process.env.KG_KILL_AT);
let n = 0;
const plan = writes.map(({ contentFile, ...w }) => ({ ...w, content: fs.readFileSync(contentFile) }));
const r = applyWrites(plan, {
  root,
  now: new Date(Date.UTC(2026, 11, 6, 14, 5, 9)),
  hook: () => {
    if (n++ === killAt) process.kill(process.pid, 'SIGKILL');
  },
}, attrs);
if (!r.ok) {
  process.stderr.write(`${r.file} ${r.step}: ${r.error}\n`);
  process.exit(1);
}
process.stdout.write(`${n}\n`);
