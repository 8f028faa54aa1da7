#!/usr/bin/env -S node --max-semi-space-size=8
// --max-semi-space-size: a scan makes hundreds of thousands of short-lived sockets, and V8 would grow
// its young generation to 128 MiB for them; capped at 8 MiB a /16 sweep keeps its speed in half
// the memory (docs/benchmarks.md). It must be given at start-up, hence the shebang (env -S).
// Runs the bundled CLI (dist/: `npm run build` in a checkout, prepack in the npm package); a
// checkout without a bundle runs the TypeScript sources (Node 22.18+ strips types), an installed
// package never does (see below).
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

// The sources are a fallback for a checkout only: the package does not ship them, and Node does not
// strip types under node_modules; an install without its bundle says so instead of half-working.
const { existsSync, readdirSync, statSync } = process.getBuiltinModule('node:fs');
const bundle = new URL('../dist/kubelet-guard.js', import.meta.url);
const sources = new URL('../src/cli.ts', import.meta.url);
const checkout = existsSync(sources) && !import.meta.url.includes('/node_modules/');
// In a checkout, a bundle older than any source file is stale (a pull or a checkout since the last
// `npm run build`; `npm ci` does not build): the sources run instead, never yesterday's code.
const stale = () => {
  const built = statSync(bundle).mtimeMs;
  return readdirSync(new URL('../src/', import.meta.url), { recursive: true, withFileTypes: true }).some(
    (e) => e.isFile() && statSync(`${e.parentPath}/${e.name}`).mtimeMs > built,
  );
};
let cli;
if (existsSync(bundle) && !(checkout && stale())) cli = await import(bundle.href);
else if (checkout) cli = await import(sources.href);
else {
  process.stderr.write(`kubelet-guard: this installation is incomplete (no ${decodeURIComponent(bundle.pathname)}): reinstall the package\n`);
  process.exit(2);
}
// the EPIPE exit (141) and the redacted report of an uncaught exception: src/cli.ts runProcess
await cli.runProcess(process.argv);
