#!/usr/bin/env node
// Runs the bundled CLI (dist/, built by `npm ci` through the prepare script); falls back to the
// TypeScript sources when no bundle is there (Node 22.18+ runs them directly).
import module from 'node:module';

module.enableCompileCache?.();
let cli;
try {
  cli = await import('../dist/kubelet-guard.js');
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  cli = await import('../src/cli.ts');
}
process.exitCode = await cli.main(process.argv);
