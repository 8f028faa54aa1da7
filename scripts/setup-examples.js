#!/usr/bin/env node
// Gives the example node trees (examples/nodes/<name>/) the file modes and owners that git does not
// keep, from examples/nodes/<name>.modes. Each line of a .modes file is one of
//
//   MODE UID:GID PATH     e.g. `600 0:0 /var/lib/kubelet/config.yaml`: chmod always, chown only as root
//   link TARGET PATH      e.g. `link kubelet-client-2026-11-01-10-00-00.pem /var/lib/kubelet/pki/kubelet-client-current.pem`
//
// PATH is a node path (relative to the example root, written with a leading /). `link` lines check
// that PATH is a symlink to TARGET, and recreate it when git lost it (missing, or checked out as a
// plain file holding the target, as git does with core.symlinks=false). Blank lines and `#` comments
// are ignored.
//
// Usage: node scripts/setup-examples.js [--check] [NAME...]
//   --check   change nothing; report what differs and exit 1 if anything does
// Silent on success; on a bad line or a missing file it names the file and line and exits 1.
// Idempotent: a file already right is not touched. Plain ESM, no dependencies.
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
    if (fields.length !== 3) {
      errors.push(`${where}: expected "MODE UID:GID PATH" or "link TARGET PATH", got ${JSON.stringify(raw.trim())}`);
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
