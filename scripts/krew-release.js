// `npm run krew [-- --exe linux/amd64=FILE …] [--out DIR]`: the krew release of the single
// executables. For each platform of plugins/krew/kubelet-guard.yaml it packs the archive its `uri`
// names (a .tar.gz holding the executable under the name `bin` gives, mode 0755, and LICENSE), then
// writes the manifest with each `{{sha256 ARCHIVE}}` placeholder replaced by that archive's SHA-256:
//
//   DIR/kubelet-guard-vX.Y.Z-linux-amd64.tar.gz …   upload these to the release the uris name
//   DIR/kubelet-guard.yaml                           submit this to krew-index
//
// The executables default to `npm run build:sea`'s dist-sea/kubelet-guard-linux-<node arch> (one per
// machine: build arm64 on arm64). A platform without its executable stops the release (exit 2):
// a manifest never carries a placeholder or a checksum of something else. Archives are reproducible
// (entries sorted, owner 0:0, mtime 0, gzip without a timestamp), so a rebuild gives the same sums.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATE = path.join(ROOT, 'plugins/krew/kubelet-guard.yaml');
const PLACEHOLDER = /"\{\{sha256 ([A-Za-z0-9._-]+)\}\}"/g;
/** krew's arch names to Node's process.arch, for the default executable names. */
const NODE_ARCH = { amd64: 'x64', arm64: 'arm64' };

function usage(message) {
  process.stderr.write(`krew-release: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const exes = new Map();
  let out = path.join(ROOT, 'dist-sea/krew');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '--exe') {
      const m = /^([a-z0-9]+\/[a-z0-9]+)=(.+)$/.exec(value());
      if (!m) usage('--exe takes OS/ARCH=FILE, e.g. linux/amd64=dist-sea/kubelet-guard-linux-x64');
      exes.set(m[1], path.resolve(m[2]));
    } else if (a === '--out') out = path.resolve(value());
    else usage(`unknown argument ${a}`);
  }
  return { exes, out };
}

/** A ustar header block for a regular file. */
function tarHeader(name, size, mode) {
  const h = Buffer.alloc(512);
  const put = (text, offset, length) => h.write(text, offset, length, 'ascii');
  const octal = (n, offset, length) => put(`${n.toString(8).padStart(length - 1, '0')}\0`, offset, length);
  put(name, 0, 100);
  octal(mode, 100, 8);
  octal(0, 108, 8); // uid
  octal(0, 116, 8); // gid
  octal(size, 124, 12);
  octal(0, 136, 12); // mtime
  put(' '.repeat(8), 148, 8); // checksum field counts as spaces while summing
  put('0', 156, 1); // regular file
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  put('root', 265, 32);
  put('root', 297, 32);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** A reproducible .tar.gz of `entries` ({ name, data, mode }), sorted by name. */
export function tarGz(entries) {
  const blocks = [];
  for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (Buffer.byteLength(e.name) > 99) throw new Error(`archive entry name too long: ${e.name}`);
    blocks.push(tarHeader(e.name, e.data.length, e.mode), e.data, Buffer.alloc((512 - (e.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024)); // end of archive
  // Node's gzip header has no file name and mtime 0
  return zlib.gzipSync(Buffer.concat(blocks), { level: 9 });
}

export function release({ exes, out }) {
  const template = fs.readFileSync(TEMPLATE, 'utf8');
  const manifest = parse(template);
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  if (manifest.spec.version !== `v${pkg.version}`) usage(`${path.relative(ROOT, TEMPLATE)} says ${manifest.spec.version}, package.json ${pkg.version}`);
  const license = path.join(ROOT, 'LICENSE');
  const sums = new Map();
  fs.mkdirSync(out, { recursive: true });
  for (const p of manifest.spec.platforms) {
    const { os, arch } = p.selector.matchLabels;
    const exe = exes.get(`${os}/${arch}`) ?? path.join(ROOT, `dist-sea/kubelet-guard-${os}-${NODE_ARCH[arch] ?? arch}`);
    if (!fs.existsSync(exe)) usage(`no single executable for ${os}/${arch} at ${exe} (npm run build:sea on such a machine, or --exe ${os}/${arch}=FILE)`);
    const archive = path.basename(new URL(p.uri).pathname);
    const entries = [{ name: p.bin, data: fs.readFileSync(exe), mode: 0o755 }];
    if (fs.existsSync(license)) entries.push({ name: 'LICENSE', data: fs.readFileSync(license), mode: 0o644 });
    const data = tarGz(entries);
    fs.writeFileSync(path.join(out, archive), data);
    sums.set(archive, createHash('sha256').update(data).digest('hex'));
  }
  const filled = template.replace(PLACEHOLDER, (whole, archive) => {
    const sum = sums.get(archive);
    if (!sum) usage(`${path.relative(ROOT, TEMPLATE)}: placeholder for ${archive}, which no platform's uri names`);
    return sum;
  });
  fs.writeFileSync(path.join(out, 'kubelet-guard.yaml'), filled);
  return { manifest: path.join(out, 'kubelet-guard.yaml'), archives: [...sums.keys()].map((a) => path.join(out, a)) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = release(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${[...r.archives, r.manifest].map((f) => path.relative(process.cwd(), f)).join('\n')}\n`);
}
