// The entry of the single executable (scripts/build-sea.js): Node and this bundle in one file, for
// nodes without Node. It runs CommonJS, without the npm bin's Node version check (the Node inside is
// the one it was built with) and without its shebang flag (--max-semi-space-size=8 is in the
// executable's own execArgv, scripts/build-sea.js).
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import { main, runProcess } from './cli.ts';

// Node's SEA gives argv as [executable, executable, ...arguments]: the shape main() expects.
if (!v8.startupSnapshot?.isBuildingSnapshot()) {
  void runProcess(process.argv);
} else {
  // Building the start-up snapshot: the modules above are evaluated once, here, and each start
  // deserialises them and runs this function.
  v8.startupSnapshot.setDeserializeMainFunction(() => void runProcess(process.argv));
  // Then audits of example nodes (KG_SNAPSHOT_WARM_UP, set by the build: roots separated by ':')
  // in each format, their output discarded: the functions an audit runs are compiled now and kept in
  // the snapshot, instead of at every start. An audit keeps nothing between runs (each main() makes
  // its own output layer, secrets and facts), so nothing of these reaches a later run.
  const roots = (process.env.KG_SNAPSHOT_WARM_UP ?? '').split(':').filter(Boolean);
  if (roots.length > 0) {
    const sink = (): Writable => new Writable({ write: (_chunk, _enc, done) => done() });
    void (async () => {
      for (const root of roots) {
        for (const format of ['json', 'table']) await main(['kubelet-guard', 'kubelet-guard', 'node', '--root', root, '--format', format], { out: sink(), err: sink() });
      }
    })().catch((e: unknown) => {
      process.stderr.write(`snapshot warm-up failed: ${String(e)}\n`);
      process.exit(1);
    });
  }
}
