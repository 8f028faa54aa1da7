// Kubernetes versions as the evidence writes them, reduced to major.minor.patch:
//   "1.31.2", "v1.31.2", "1.31.2-1.1" (deb/rpm revision), "1:1.31.2-1.1" (epoch),
//   "v1.31.2+k3s1", "v1.31.2-eks-1a2b3c" (distribution builds of that release).
// "-alpha.N", "-beta.N" and "-rc.N" are pre-releases and order before the release, as in semver.
// Anything after the patch that is not such a pre-release is a packaging or vendor suffix and is
// ignored: a vendor build of 1.31.2 carries the upstream 1.31.2 code (backports excepted).

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** pre-release identifiers, e.g. ['rc', 1] for "-rc.1" */
  pre?: Array<string | number>;
}

const VERSION = /^\s*(?:\d+:)?[vV]?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(.*?)\s*$/;
const PRE = /^-((?:alpha|beta|rc)(?:\.(?:0|[1-9]\d*|[0-9A-Za-z-]+))*)(?:\+.*)?$/;

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  const rest = m[4]!;
  if (rest !== '' && !/^[-+~._]/.test(rest)) return undefined; // "1.2.3x" is not a version
  const v: Version = { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
  if (!Number.isSafeInteger(v.major) || !Number.isSafeInteger(v.minor) || !Number.isSafeInteger(v.patch)) return undefined;
  const pre = PRE.exec(rest);
  if (pre) v.pre = pre[1]!.split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id));
  return v;
}

/** <0, 0, >0 as a orders before, with, after b (semver precedence; build and vendor suffixes ignored). */
export function compareVersions(a: Version, b: Version): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  return comparePre(a.pre, b.pre);
}

function comparePre(a: Version['pre'], b: Version['pre']): number {
  if (!a?.length) return b?.length ? 1 : 0; // a release comes after its pre-releases
  if (!b?.length) return -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1; // numeric identifiers order before alphanumeric ones
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.pre?.length ? `-${v.pre.join('.')}` : ''}`;
}

/** An inclusive/exclusive range of versions; an absent bound is open. */
export interface VersionRange {
  /** first affected version, inclusive */
  from?: string;
  /** last affected version, inclusive */
  through?: string;
  /** first version no longer in the range, exclusive */
  before?: string;
}

export function inRange(v: Version, r: VersionRange): boolean {
  const cmp = (s: string) => compareVersions(v, mustParse(s));
  if (r.from !== undefined && cmp(r.from) < 0) return false;
  if (r.through !== undefined && cmp(r.through) > 0) return false;
  if (r.before !== undefined && cmp(r.before) >= 0) return false;
  return true;
}

export function describeRange(r: VersionRange): string {
  const lo = r.from ?? '';
  if (r.through !== undefined) return lo ? (lo === r.through ? lo : `${lo}–${r.through}`) : `≤ ${r.through}`;
  if (r.before !== undefined) return lo ? `${lo} – before ${r.before}` : `< ${r.before}`;
  return lo ? `≥ ${lo}` : 'all versions';
}

export function mustParse(s: string): Version {
  const v = parseVersion(s);
  if (!v) throw new Error(`not a version: ${s}`);
  return v;
}
