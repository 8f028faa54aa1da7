// The licence notices of every package whose code esbuild put into a bundle, generated from the
// bundle's own metafile: a package is listed because its files are in the output, not because
// package.json names it (the transitive dependencies of @kubernetes/client-node are most of them).
// Each entry: name, version, licence, and the package's own licence file(s) verbatim; then the
// licence comments esbuild found inside bundled files (code copied into a package from another
// project, such as formdata-polyfill inside undici).
import fs from 'node:fs';
import path from 'node:path';

const LICENCE_FILE = /^(licen[cs]e|copying|notice)(\.|-|$)/i;

/** `node_modules/a/node_modules/@b/c/lib/x.js` → `node_modules/a/node_modules/@b/c` */
function packageDir(input) {
  const parts = input.split('/');
  const i = parts.lastIndexOf('node_modules');
  if (i < 0) return undefined;
  const n = parts[i + 1]?.startsWith('@') ? 2 : 1;
  return parts.slice(0, i + 1 + n).join('/');
}

/** The packages in the outputs of one or more esbuild metafiles, by name@version, sorted. */
export function bundledPackages(metafiles) {
  const dirs = new Set();
  for (const meta of metafiles) {
    for (const out of Object.values(meta.outputs)) {
      for (const [input, use] of Object.entries(out.inputs)) {
        if (use.bytesInOutput === 0) continue; // tree-shaken away entirely: nothing of it ships
        const dir = packageDir(input);
        if (dir) dirs.add(dir);
      }
    }
  }
  const byId = new Map();
  for (const dir of dirs) {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const id = `${pkg.name}@${pkg.version}`;
    if (byId.has(id)) continue;
    const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? (pkg.licenses ?? []).map((l) => l.type).join(' OR ')) || 'UNKNOWN';
    const files = fs.readdirSync(dir).filter((f) => LICENCE_FILE.test(f)).sort();
    byId.set(id, { name: pkg.name, version: pkg.version, licence, dir, files });
  }
  return [...byId.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Writes the notices file; returns the packages it lists. */
export function writeNotices(file, metafiles, legalFiles = []) {
  const pkgs = bundledPackages(metafiles);
  const lines = [
    'THIRD-PARTY SOFTWARE NOTICES',
    '',
    'kubelet-guard (Apache-2.0, see LICENSE) is distributed as a bundle that contains code from the',
    'following packages. Generated at build time from the bundle itself (scripts/third-party-notices.js).',
    '',
    ...pkgs.map((p) => `- ${p.name} ${p.version} (${p.licence})`),
    '',
  ];
  for (const p of pkgs) {
    lines.push('='.repeat(78), `${p.name} ${p.version}`, `License: ${p.licence}`, '-'.repeat(78));
    if (p.files.length === 0) lines.push(`(the package ships no licence file; its package.json declares ${p.licence})`, '');
    for (const f of p.files) lines.push(fs.readFileSync(path.join(p.dir, f), 'utf8').trimEnd(), '');
  }
  const legal = legalFiles.map((f) => fs.readFileSync(f, 'utf8').trim()).filter(Boolean);
  if (legal.length > 0) {
    lines.push('='.repeat(78), 'Licence comments found inside bundled files', '-'.repeat(78), ...legal, '');
  }
  fs.writeFileSync(file, lines.join('\n'));
  return pkgs;
}
