#!/usr/bin/env -S node --max-semi-space-size=8
// --max-semi-space-size: a scan makes hundreds of thousands of short-lived sockets, and V8 would grow
// its young generation to 128 MiB for them; capped at 8 MiB a /16 sweep keeps its speed in half
// the memory (docs/benchmarks.md). It must be given at start-up, hence the shebang (env -S).
// Runs the bundled CLI (dist/, built by `npm ci` through the prepare script); falls back to the
// TypeScript sources when no bundle is there (Node 22.18+ runs them directly).
import module from 'node:module';

// Older Node lacks APIs the audit relies on (X509Certificate.validFromDate, type stripping):
// say so plainly, in one line with a way to get a newer one, instead of producing wrong "invalid
// certificate" verdicts. (Node 24 comes from the npm registry's `node` package, which the machine's
// own npm can install anywhere, without root; in a checkout, `npm ci` installs it as a dev dependency.)
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `kubelet-guard needs Node.js 22.18 or newer, this is v${process.versions.node}; get Node 24 with: npm install --prefix "$HOME/.node24" node@24 && export PATH="$HOME/.node24/node_modules/.bin:$PATH"\n`,
  );
  process.exit(2);
}
module.enableCompileCache?.();

// A reader that goes away (`| head -c1`) makes the next write fail with EPIPE: stop at once, quietly,
// with 141 (128 + SIGPIPE), as a program killed by SIGPIPE would (kubectl and other Go tools do):
// the report was not delivered, so the run must not look like a pass under `set -o pipefail`.
const EXIT_PIPE_CLOSED = 141;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e?.code === 'EPIPE' || e?.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT_PIPE_CLOSED);
    throw e;
  });
}

let cli;
try {
  cli = await import('../dist/kubelet-guard.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  cli = await import('../src/cli.ts');
}
// An exception no command caught (a bug): its message may quote evidence or a secret, so it is
// printed like main()'s own internal errors, through the run's output layer; exit code 2.
let output;
const fatal = (e) => {
  const text = cli.internalError(e);
  if (output) output.err.write(text);
  else process.stderr.write(text);
  process.exit(2);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
process.exitCode = await cli.main(process.argv, undefined, (o) => (output = o));
