// The HTML report until output selection (`-f html`, `--output html=FILE`) lands in the CLI:
//   node scripts/html-report.ts node --root examples/nodes/kubeadm-worker > report.html
//   node scripts/html-report.ts cluster --kubeconfig ~/.kube/config > cluster.html
//   node scripts/html-report.ts scan 10.0.0.0/24 > scan.html
// Runs the command in-process with --format json (its output already passed through the output
// layer: redacted), renders the HTML and writes it through a fresh output layer again. The exit
// code is the command's.
import { PassThrough } from 'node:stream';
import { main } from '../src/cli.ts';
import { clusterHtml, nodeHtml, scanHtml } from '../src/report/html.ts';
import { createOutput } from '../src/report/output.ts';

const [command, ...rest] = process.argv.slice(2);
if (command !== 'node' && command !== 'scan' && command !== 'cluster') {
  process.stderr.write('usage: node scripts/html-report.ts node|scan|cluster [options of that command] > report.html\n');
  process.exit(2);
}
const out = new PassThrough();
let json = '';
out.on('data', (d: Buffer) => (json += d.toString('utf8')));
const extra = command === 'node' ? ['--fail-on', 'none'] : ['--no-progress'];
const code = await main(['node', 'kubelet-guard', command, ...rest, '--format', 'json', ...extra], { out, err: process.stderr });
if (json.trim() === '') process.exit(code);
const report = JSON.parse(json);
const io = createOutput({ out: process.stdout, err: process.stderr });
const redact = (t: string) => io.secrets.redact(t);
io.out.write(command === 'node' ? nodeHtml(report, { redact }) : command === 'scan' ? scanHtml(report, { redact }) : clusterHtml(report, { redact }));
process.exitCode = code;
