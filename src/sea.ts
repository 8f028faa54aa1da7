// The entry of the single executable (scripts/build-sea.js): Node and this bundle in one file, for
// nodes without Node. It runs CommonJS, without the npm bin's Node version check (the Node inside is
// the one it was built with) and without its shebang flag (--max-semi-space-size=8 is in the
// executable's own execArgv, scripts/build-sea.js).
import v8 from 'node:v8';
import { runProcess } from './cli.ts';

// Node's SEA gives argv as [executable, executable, ...arguments]: the shape main() expects. In a
// start-up snapshot the modules above are evaluated once, at build time, and the run is deferred
// to each start.
if (v8.startupSnapshot?.isBuildingSnapshot()) v8.startupSnapshot.setDeserializeMainFunction(() => void runProcess(process.argv));
else void runProcess(process.argv);
