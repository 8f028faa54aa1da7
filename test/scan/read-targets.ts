// A child for the targets tests' memory guards: reads the targets given on its command line as
// `kubelet-guard scan --allow-large-sweep` does (streamed into one plan), counts them and walks
// every address, and prints {count, walked}.
import { countAddresses, expandTargetArgs, iterateAddresses } from '../../src/scan/targets.ts';

const r = await expandTargetArgs(process.argv.slice(2), {}, { allowLargeSweep: true });
if (!r.ok) {
  process.stdout.write(JSON.stringify({ errors: r.errors }) + '\n');
  process.exit(2);
}
let walked = 0;
for (const a of iterateAddresses(r.targets)) if (a) walked++;
process.stdout.write(JSON.stringify({ count: String(countAddresses(r.targets)), walked }) + '\n');
