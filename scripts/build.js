// Bundles the CLI into one ESM file: start-up is dominated by module loading, and one file loads
// fastest (docs/benchmarks.md). CommonJS dependencies inside an ESM bundle need `require`.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/kubelet-guard.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
