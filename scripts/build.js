// Bundles the CLI into one ESM file: start-up is dominated by module loading, and one file loads
// fastest (docs/benchmarks.md). Built-in modules are loaded with require(), not `import`: an ES
// module namespace of a built-in touches every lazy getter (`fs.promises` loads readline and
// streams, `util` loads parseArgs, diff and colours, `process` loads workers and reports…), which
// cost more start-up than the whole audit's I/O. (`node:child_process` stays real: the cluster
// client runs kubeconfig exec plugins with it.)
//
//   node scripts/build.js            dist/ for the checkout: the bundle with linked source maps
//   node scripts/build.js --release  dist/ for the npm package (prepack): no source maps
//
// Both write dist/THIRD-PARTY-NOTICES.txt, the licences of every package in the bundle.
// scripts/build-sea.js uses bundle() for the single executable's CommonJS bundle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeNotices } from './third-party-notices.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shim = (name) => `module.exports = require(${JSON.stringify(name)});`;

const startUpShims = {
  name: 'start-up-shims',
  setup(b) {
    // the shim's own require() stays a real require (external), so it does not resolve to itself
    b.onResolve({ filter: /^node:/ }, (a) => (a.namespace === 'builtin' ? { path: a.path, external: true } : { path: a.path, namespace: 'builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (a) => ({ contents: shim(a.path), loader: 'js' }));
  },
};

/**
 * In the single executable, `@kubernetes/client-node` (4 of its 5 MB of code, used by the cluster
 * command alone) is not in the main script but an asset, compiled when the cluster command first
 * imports it: everything in the main script is evaluated into the start-up snapshot, which every
 * start deserialises, and 4 MB more of it would cost every `node --root` audit its start-up. The
 * asset is plain CommonJS that only requires built-ins, which the executable's require() provides.
 */
const CLIENT_ASSET = 'client-node.cjs';
const seaClientAsset = {
  name: 'sea-client-asset',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, (a) => ({ path: a.path, namespace: 'sea-asset' }));
    b.onLoad({ filter: /.*/, namespace: 'sea-asset' }, () => ({
      loader: 'js',
      contents: `const m = { exports: {} };
require('node:vm').compileFunction(require('node:sea').getAsset(${JSON.stringify(CLIENT_ASSET)}, 'utf8'), ['exports', 'require', 'module'], { filename: ${JSON.stringify(CLIENT_ASSET)} })(m.exports, require, m);
module.exports = m.exports;`,
    }));
  },
};

/**
 * Builds into `outdir` (emptied first, so no chunk of an earlier build is left to be packed).
 * `sea`: one CommonJS file `kubelet-guard.cjs` from src/sea.ts, unsplit (a single executable runs
 * one CommonJS script, and a start-up snapshot holds no `import()`), without source maps, and
 * the cluster client beside it as `client-node.cjs` (an asset of the executable).
 */
export async function bundle({ outdir = 'dist', release = false, sea = false } = {}) {
  outdir = path.resolve(ROOT, outdir);
  fs.rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: sea ? { 'kubelet-guard': 'src/sea.ts' } : { 'kubelet-guard': 'src/cli.ts' },
    outdir,
    ...(sea
      ? { format: 'cjs', outExtension: { '.js': '.cjs' } }
      : {
          format: 'esm',
          // the scan command is imported on demand: a chunk of its own, so `node` does not load it
          splitting: true,
          chunkNames: 'chunks/[name]-[hash]',
          banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
        }),
    bundle: true,
    platform: 'node',
    target: 'node22',
    minify: true,
    sourcemap: release || sea ? false : 'linked',
    // collected into THIRD-PARTY-NOTICES.txt below, then removed
    legalComments: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: sea ? [seaClientAsset, startUpShims] : [startUpShims],
  });
  const metafiles = [result.metafile];
  if (sea) {
    const client = await build({
      absWorkingDir: ROOT,
      stdin: { contents: "module.exports = require('@kubernetes/client-node');", resolveDir: ROOT, sourcefile: 'client-node-entry.js' },
      outfile: path.join(outdir, CLIENT_ASSET),
      format: 'cjs',
      bundle: true,
      platform: 'node',
      target: 'node22',
      minify: true,
      legalComments: 'external',
      metafile: true,
      logLevel: 'warning',
      plugins: [startUpShims],
    });
    metafiles.push(client.metafile);
  }
  const legal = metafiles.flatMap((m) => Object.keys(m.outputs)).filter((f) => f.endsWith('.LEGAL.txt')).map((f) => path.resolve(ROOT, f));
  const packages = writeNotices(path.join(outdir, 'THIRD-PARTY-NOTICES.txt'), metafiles, legal);
  for (const f of legal) fs.rmSync(f);
  return { outdir, packages, metafile: result.metafile };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle({ release: process.argv.includes('--release') });
}
