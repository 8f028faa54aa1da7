// Which distribution a node runs, from the marks each distribution's data lists: the first
// distribution of the registry (most specific first) with a mark on the node wins; none found is
// `generic` (a kubelet.service of unknown make). `--distribution NAME` overrides.
import type { RootFs } from '../sources/root-fs.ts';
import { findProcesses } from '../sources/proc.ts';
import { readDpkgVersion } from '../sources/dpkg.ts';
import { SYSTEM_UNIT_PATH } from '../sources/systemd-unit.ts';
import { DISTRIBUTIONS, distributionNamed } from './index.ts';
import type { Distribution, DistributionFact, Mark, VersionSource } from './types.ts';

export interface Detected {
  distro: Distribution;
  fact: DistributionFact;
}

export function detectDistribution(fs: RootFs, live: boolean, override?: string): Detected {
  const node = nodeReader(fs, live);
  if (override !== undefined) {
    const distro = distributionNamed(override);
    if (!distro) throw new Error(`unknown distribution ${override}`); // the CLI checks the name first
    return { distro, fact: factOf(distro, [`--distribution ${distro.name}`], readVersion(node, distro), true) };
  }
  for (const distro of DISTRIBUTIONS) {
    const found = distro.marks.flatMap((m) => markFound(node, m) ?? []);
    if (found.length > 0) return { distro, fact: factOf(distro, found, readVersion(node, distro)) };
  }
  const generic = distributionNamed('generic')!;
  return { distro: generic, fact: factOf(generic, ['no distribution\'s marks were found'], readVersion(node, generic)) };
}

interface NodeReader {
  fs: RootFs;
  /** live: the first pid of a running process of this name (absent offline) */
  pidOf(name: string): number | undefined;
  dpkg(pkg: string): ReturnType<typeof readDpkgVersion>;
}

/**
 * Each mark is answered from one read: a single pass over /proc for every process mark (each pass
 * reads every process's cmdline), and the package database (up to 64 MiB) read once per package.
 */
function nodeReader(fs: RootFs, live: boolean): NodeReader {
  let running: Map<string, number> | undefined;
  const packages = new Map<string, ReturnType<typeof readDpkgVersion>>();
  const base = (argv0: string) => argv0.split('/').pop() ?? '';
  return {
    fs,
    pidOf(name) {
      if (!live) return undefined;
      if (!running) {
        const names = new Set(DISTRIBUTIONS.flatMap((d) => d.marks.flatMap((m) => ('process' in m ? [m.process] : []))));
        running = new Map();
        for (const p of findProcesses(fs, (argv0) => names.has(base(argv0))).found) {
          const n = base(p.argv[0] ?? '');
          if (!running.has(n)) running.set(n, p.pid);
        }
      }
      return running.get(name);
    },
    dpkg(pkg) {
      if (!packages.has(pkg)) packages.set(pkg, readDpkgVersion(fs, pkg));
      return packages.get(pkg);
    },
  };
}

function factOf(d: Distribution, evidence: string[], version: DistributionFact['version'], overridden = false): DistributionFact {
  return { name: d.name, title: d.title, ...(version ? { version } : {}), evidence, ...(overridden ? { overridden } : {}) };
}

/** The mark in words when it is on the node. */
function markFound(node: NodeReader, m: Mark): string | undefined {
  const fs = node.fs;
  if ('file' in m) {
    if (!m.pattern) return fs.stat(m.file, { follow: false }).exists === true ? `${m.file} exists` : undefined;
    // a file's content (os-release's ID=): read bounded; the evidence names the pattern, never the
    // file's text (which may be hostile)
    const r = fs.read(m.file, MARK_BYTES);
    return r.ok && m.pattern.test(r.bytes.toString('utf8')) ? `${m.file} matches ${m.pattern.source}` : undefined;
  }
  if ('process' in m) {
    const pid = node.pidOf(m.process);
    return pid !== undefined ? `a ${m.process} process runs (pid ${pid})` : undefined;
  }
  if ('unit' in m) {
    for (const dir of SYSTEM_UNIT_PATH) {
      const path = `${dir}/${m.unit}`;
      if (fs.stat(path, { follow: false }).exists === true) return `the systemd unit ${path} exists`;
    }
    return undefined;
  }
  return node.dpkg(m.dpkg) ? `the Debian package ${m.dpkg} is installed` : undefined;
}

/** A mark's file is read this far (os-release is a few hundred bytes). */
const MARK_BYTES = 64 * 1024;

function readVersion(node: NodeReader, d: Distribution): DistributionFact['version'] {
  for (const v of d.version ?? []) {
    const found = versionFrom(node, v);
    if (found) return found;
  }
  return undefined;
}

function versionFrom(node: NodeReader, v: VersionSource): DistributionFact['version'] {
  if ('dpkg' in v) return node.dpkg(v.dpkg);
  const fs = node.fs;
  let text: string;
  let source: string;
  if ('link' in v) {
    const l = fs.readlink(v.link);
    if (!l.ok) return undefined;
    text = l.target;
    source = `${v.link} -> ${l.target}`;
  } else {
    const r = fs.read(v.file, 1024 * 1024);
    if (!r.ok) return undefined;
    text = r.bytes.toString('utf8');
    source = v.file;
  }
  const m = v.pattern.exec(text);
  // a version is short and plain: anything else in the file is not one (hostile text stays out)
  return m?.[1] && /^[0-9A-Za-z.+_~-]{1,64}$/.test(m[1]) && /^[\x20-\x7e]{1,4096}$/.test(source) ? { value: m[1], source } : undefined;
}
