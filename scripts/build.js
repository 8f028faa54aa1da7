// Bundles the CLI into one ESM file: start-up is dominated by module loading, and one file loads
// fastest (docs/benchmarks.md). Built-in modules are loaded with require(), not `import`: an ES
// module namespace of a built-in touches every lazy getter (`fs.promises` loads readline and
// streams, `util` loads parseArgs, diff and colours, `process` loads workers and reports…), which
// cost more start-up than the whole audit's I/O. (`node:child_process` stays real: the cluster
// client runs kubeconfig exec plugins with it.)
import { build } from 'esbuild';

const shim = (name) => `module.exports = require(${JSON.stringify(name)});`;

await build({
  entryPoints: { 'kubelet-guard': 'src/cli.ts' },
  outdir: 'dist',
  // the scan command is imported on demand: a chunk of its own, so `node` does not load it
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
  plugins: [
    {
      name: 'start-up-shims',
      setup(b) {
        // the shim's own require() stays a real require (external), so it does not resolve to itself
        b.onResolve({ filter: /^node:/ }, (a) => (a.namespace === 'builtin' ? { path: a.path, external: true } : { path: a.path, namespace: 'builtin' }));
        b.onLoad({ filter: /.*/, namespace: 'builtin' }, (a) => ({ contents: shim(a.path), loader: 'js' }));
      },
    },
  ],
});
