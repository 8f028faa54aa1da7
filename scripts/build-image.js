// `npm run build:image [-- --exe FILE] [--out DIR]`: the build context of the container image
// (Containerfile): a root filesystem holding the single executable (`npm run build:sea` first) and
// nothing else but what it loads, so the image needs no base image and no registry:
//
//   rootfs/usr/local/bin/kubelet-guard     the single executable
//   rootfs/lib*/…                          the shared libraries it links (glibc, libstdc++, libgcc_s:
//                                          Node's official Linux builds link them dynamically),
//                                          found by ldd and copied from this machine
//   rootfs/etc/passwd, rootfs/etc/group    root only (the image runs as uid 0: see the Containerfile)
//   rootfs/usr/share/doc/…                 LICENSE, the third-party notices, the libraries' copyright
//   rootfs/host/, rootfs/tmp/              the mount point of the node's filesystem; a /tmp
//
// Then: podman build -f Containerfile -t kubelet-guard dist-sea/image
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const exe = path.resolve(ROOT, arg('--exe', `dist-sea/kubelet-guard-linux-${process.arch}`));
const out = path.resolve(ROOT, arg('--out', 'dist-sea/image'));
const rootfs = path.join(out, 'rootfs');

if (!fs.existsSync(exe)) {
  process.stderr.write(`no single executable at ${exe}: run \`npm run build:sea\` first\n`);
  process.exit(2);
}

/** Absolute paths of the shared objects `ldd` lists for `file` (the loader included). */
function sharedObjects(file) {
  const r = spawnSync('ldd', [file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ldd ${file}: ${r.stderr}`);
  const libs = [];
  for (const line of r.stdout.split('\n')) {
    if (/not found/.test(line)) throw new Error(`ldd ${file}: ${line.trim()}`);
    const m = /(?:=>\s*)?(\/\S+)\s+\(0x[0-9a-f]+\)/.exec(line);
    if (m) libs.push(m[1]);
  }
  return libs;
}

/** The Debian package owning `file`, for its copyright file; undefined off Debian. */
function debianPackage(file) {
  const r = spawnSync('dpkg', ['-S', file], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split(':')[0] : undefined;
}

function copyInto(from, to, mode) {
  const dest = path.join(rootfs, to);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(from, dest);
  fs.chmodSync(dest, mode);
}

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(rootfs, { recursive: true });
copyInto(exe, 'usr/local/bin/kubelet-guard', 0o755);
const docs = 'usr/share/doc/kubelet-guard';
copyInto(path.join(ROOT, 'LICENSE'), `${docs}/LICENSE`, 0o644);
copyInto(path.join(path.dirname(exe), 'THIRD-PARTY-NOTICES.txt'), `${docs}/THIRD-PARTY-NOTICES.txt`, 0o644);
const packages = new Set();
for (const lib of sharedObjects(exe)) {
  // the real file under the name the loader asks for (Debian links /lib to /usr/lib)
  copyInto(fs.realpathSync(lib), lib, 0o755);
  const pkg = debianPackage(fs.realpathSync(lib)) ?? debianPackage(lib);
  if (pkg) packages.add(pkg.replace(/:.*/, ''));
}
for (const pkg of packages) {
  const copyright = `/usr/share/doc/${pkg}/copyright`;
  if (fs.existsSync(copyright)) copyInto(copyright, copyright, 0o644);
}
fs.mkdirSync(path.join(rootfs, 'etc'), { recursive: true });
fs.writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/:/sbin/nologin\n');
fs.writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\n');
fs.mkdirSync(path.join(rootfs, 'host'));
fs.mkdirSync(path.join(rootfs, 'tmp'));
fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
process.stdout.write(`${path.relative(ROOT, out)}: the image's root filesystem (${[...packages].sort().join(', ') || 'libraries'} from this machine)\n`);
