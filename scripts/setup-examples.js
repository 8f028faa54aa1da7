#!/usr/bin/env node
// Gives the example node trees (examples/nodes/<name>/) the file modes and owners that git does not
// keep, from examples/nodes/<name>.modes. Each line of a .modes file is one of
//
//   MODE UID:GID PATH     e.g. `600 0:0 /var/lib/kubelet/config.yaml`: chmod always, chown only as root
//   link TARGET PATH      e.g. `link kubelet-client-2026-11-01-10-00-00.pem /var/lib/kubelet/pki/kubelet-client-current.pem`
//   socket MODE UID:GID PATH   e.g. `socket 660 0:0 /run/containerd/containerd.sock`
//
// PATH is a node path (relative to the example root, written with a leading /). `link` lines check
// that PATH is a symlink to TARGET, and recreate it when git lost it (missing, or checked out as a
// plain file holding the target, as git does with core.symlinks=false). `socket` lines make PATH a
// Unix socket file, since git cannot store one: when it is missing, its missing parent folders are
// created (0755, never through a symlink that leaves the example) and a socket is bound there by a
// child process that exits without closing it (Node unlinks the file on close); nothing listens on
// it afterwards. Then MODE and UID:GID are applied as on a MODE line. Blank lines and `#` comments
// are ignored.
//
// Usage: node scripts/setup-examples.js [--check] [NAME...]
//   --check   change nothing; report what differs and exit 1 if anything does
// Silent on success; on a bad line or a missing file it names the file and line and exits 1.
// Idempotent: a file already right is not touched. Plain ESM, no dependencies.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const EXAMPLES = path.resolve(import.meta.dirname, '..', 'examples', 'nodes');

const args = process.argv.slice(2);
const check = args.includes('--check');
const names = args.filter((a) => a !== '--check');
const unknownOpt = names.find((a) => a.startsWith('-'));
if (unknownOpt) fail([`unknown option ${unknownOpt} (usage: node scripts/setup-examples.js [--check] [NAME...])`]);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const errors = [];
const diffs = [];

let modeFiles;
try {
  modeFiles = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.modes')).sort();
} catch (e) {
  fail([`cannot list ${rel(EXAMPLES)}: ${e.message}`]);
}
for (const n of names) {
  if (!modeFiles.includes(`${n}.modes`)) errors.push(`no ${rel(path.join(EXAMPLES, `${n}.modes`))} for example "${n}"`);
}
const selected = names.length > 0 ? modeFiles.filter((f) => names.includes(f.slice(0, -'.modes'.length))) : modeFiles;

for (const file of selected) applyModesFile(path.join(EXAMPLES, file));

if (errors.length > 0) fail(errors);
if (check && diffs.length > 0) fail(diffs);

function applyModesFile(modesPath) {
  const name = path.basename(modesPath, '.modes');
  const root = path.join(EXAMPLES, name);
  let rootReal;
  try {
    rootReal = fs.realpathSync(root);
    if (!fs.statSync(rootReal).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    errors.push(`${rel(modesPath)}: example folder ${rel(root)} is missing (${e.code ?? e.message})`);
    return;
  }
  const lines = fs.readFileSync(modesPath, 'utf8').split('\n');
  lines.forEach((raw, i) => {
    const where = `${rel(modesPath)}:${i + 1}`;
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const fields = line.split(/\s+/);
    if (fields.length !== (fields[0] === 'socket' ? 4 : 3)) {
      errors.push(`${where}: expected "MODE UID:GID PATH", "link TARGET PATH" or "socket MODE UID:GID PATH", got ${JSON.stringify(raw.trim())}`);
      return;
    }
    if (fields[0] === 'socket') {
      const [, modeText, ownerText, nodePath] = fields;
      if (!ensureParents(nodePath, root, rootReal, where)) return;
      const host = hostPath(nodePath, root, rootReal, where);
      if (host === null) return;
      if (ensureSocket(nodePath, host, where)) applyMode(modeText, ownerText, nodePath, host, where);
      return;
    }
    const [a, b, nodePath] = fields;
    const host = hostPath(nodePath, root, rootReal, where);
    if (host === null) return;
    if (a === 'link') applyLink(b, nodePath, host, where);
    else applyMode(a, b, nodePath, host, where);
  });
}

/** Host path of a node path, refusing anything that could leave the example root. */
function hostPath(nodePath, root, rootReal, where) {
  if (!nodePath.startsWith('/')) {
    errors.push(`${where}: PATH must start with "/" (a path inside the node), got ${JSON.stringify(nodePath)}`);
    return null;
  }
  const parts = nodePath.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) {
    errors.push(`${where}: PATH must name a file below the example root without "..", got ${JSON.stringify(nodePath)}`);
    return null;
  }
  const host = path.join(root, ...parts);
  // The parent folder, symlinks followed, must still be inside the example.
  let parentReal;
  try {
    parentReal = fs.realpathSync(path.dirname(host));
  } catch (e) {
    errors.push(`${where}: ${nodePath}: parent folder missing in ${rel(root)} (${e.code ?? e.message})`);
    return null;
  }
  if (parentReal !== rootReal && !parentReal.startsWith(rootReal + path.sep)) {
    errors.push(`${where}: ${nodePath}: its folder resolves outside ${rel(root)}`);
    return null;
  }
  return path.join(parentReal, path.basename(host));
}

/**
 * Creates the missing parent folders of a socket's node path (git keeps no empty folder). Each folder
 * is created only inside a folder whose real path is inside the example, so a symlink in the chain
 * (such as var/run -> /run) can never make it create anything outside. In --check mode nothing is
 * created: a missing folder is a difference. Returns whether the parent folder exists.
 */
function ensureParents(nodePath, root, rootReal, where) {
  const parts = nodePath.split('/').filter((p) => p !== '' && p !== '.');
  if (!nodePath.startsWith('/') || parts.length === 0 || parts.includes('..')) return true; // hostPath() reports it
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    let real;
    try {
      real = fs.realpathSync(dir);
    } catch (e) {
      errors.push(`${where}: ${nodePath}: ${e.code ?? e.message}`);
      return false;
    }
    if (real !== rootReal && !real.startsWith(rootReal + path.sep)) {
      errors.push(`${where}: ${nodePath}: its folder resolves outside ${rel(root)}`);
      return false;
    }
    const next = path.join(real, part);
    if (!fs.existsSync(next)) {
      if (check) {
        diffs.push(`${where}: ${nodePath}: folder ${path.relative(rootReal, next)} is missing (run without --check to create the socket)`);
        return false;
      }
      try {
        fs.mkdirSync(next, 0o755);
      } catch (e) {
        errors.push(`${where}: ${nodePath}: cannot create ${rel(next)} (${e.code ?? e.message})`);
        return false;
      }
    }
    dir = next;
  }
  return true;
}

/** Makes `host` a Unix socket file if it is missing. Returns whether a socket is there now. */
function ensureSocket(nodePath, host, where) {
  let st = null;
  try {
    st = fs.lstatSync(host);
  } catch (e) {
    if (e.code !== 'ENOENT') {
      errors.push(`${where}: ${nodePath}: ${e.code ?? e.message}`);
      return false;
    }
  }
  if (st) {
    if (st.isSocket()) return true;
    errors.push(`${where}: ${nodePath} should be a socket but is a ${st.isDirectory() ? 'folder' : st.isSymbolicLink() ? 'symlink' : 'file'}`);
    return false;
  }
  if (check) {
    diffs.push(`${where}: ${nodePath} should be a socket (run without --check to create it)`);
    return false;
  }
  // Bound by name from inside its folder: a Unix socket address holds at most 107 bytes, which a
  // deep checkout could exceed with the absolute path.
  const bind = "const s = require('node:net').createServer(); s.on('error', (e) => { console.error(e.message); process.exit(1); }); s.listen(process.argv[1], () => process.exit(0));";
  const r = spawnSync(process.execPath, ['-e', bind, path.basename(host)], { cwd: path.dirname(host), encoding: 'utf8' });
  if (r.status !== 0 || !fs.lstatSync(host, { throwIfNoEntry: false })?.isSocket()) {
    errors.push(`${where}: ${nodePath}: cannot create the socket (${(r.stderr || r.error?.message || `exit ${r.status}`).trim()})`);
    return false;
  }
  return true;
}

function applyMode(modeText, ownerText, nodePath, host, where) {
  if (!/^[0-7]{3,4}$/.test(modeText)) {
    errors.push(`${where}: MODE must be 3 or 4 octal digits, got ${JSON.stringify(modeText)}`);
    return;
  }
  const owner = /^(\d+):(\d+)$/.exec(ownerText);
  if (!owner) {
    errors.push(`${where}: OWNER must be numeric UID:GID such as 0:0, got ${JSON.stringify(ownerText)}`);
    return;
  }
  const mode = parseInt(modeText, 8);
  const uid = Number(owner[1]);
  const gid = Number(owner[2]);
  let st;
  try {
    st = fs.lstatSync(host);
  } catch (e) {
    errors.push(`${where}: ${nodePath} does not exist (${e.code ?? e.message})`);
    return;
  }
  if (st.isSymbolicLink()) {
    // chmod would follow the link, possibly out of the example (absolute targets point at the host).
    errors.push(`${where}: ${nodePath} is a symlink; give the mode of its target file instead`);
    return;
  }
  if ((st.mode & 0o7777) !== mode) {
    if (check) diffs.push(`${where}: ${nodePath} has mode ${(st.mode & 0o7777).toString(8)}, want ${modeText}`);
    else fs.chmodSync(host, mode);
  }
  if (isRoot && (st.uid !== uid || st.gid !== gid)) {
    if (check) diffs.push(`${where}: ${nodePath} is owned by ${st.uid}:${st.gid}, want ${uid}:${gid}`);
    else fs.lchownSync(host, uid, gid);
  }
}

function applyLink(target, nodePath, host, where) {
  let st = null;
  try {
    st = fs.lstatSync(host);
  } catch (e) {
    if (e.code !== 'ENOENT') {
      errors.push(`${where}: ${nodePath}: ${e.code ?? e.message}`);
      return;
    }
  }
  if (st?.isSymbolicLink()) {
    const now = fs.readlinkSync(host);
    if (now !== target) errors.push(`${where}: ${nodePath} links to ${JSON.stringify(now)}, want ${JSON.stringify(target)}`);
    return;
  }
  if (st && !(st.isFile() && st.size <= 4096 && fs.readFileSync(host, 'utf8') === target)) {
    errors.push(`${where}: ${nodePath} should be a symlink to ${JSON.stringify(target)} but is a ${st.isDirectory() ? 'folder' : 'file'} with other content`);
    return;
  }
  // Missing, or git's core.symlinks=false placeholder (a file holding the target): make the link.
  if (check) {
    diffs.push(`${where}: ${nodePath} should be a symlink to ${JSON.stringify(target)}`);
    return;
  }
  if (st) fs.unlinkSync(host);
  fs.symlinkSync(target, host);
}

function rel(p) {
  return path.relative(process.cwd(), p) || '.';
}

function fail(messages) {
  for (const m of messages) process.stderr.write(`setup-examples: ${m}\n`);
  process.exit(1);
}
