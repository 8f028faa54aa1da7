// How many connects and classifications a scan keeps in flight, within the process's file
// descriptors. A pending connect holds one socket; a classification up to four at once
// (kubelet.ts runs its probes four at a time). The scan stays under half the soft limit, so the
// reports, the targets file and whatever else the process opens never meet EMFILE (a connect that
// fails with EMFILE would be miscounted as "filtered").
import { readFileSync } from 'node:fs';

/** connects in flight at most, however many descriptors there are (a /16 sweeps in seconds with it) */
export const MAX_CONNECTS = 4096;
/** classifications in flight at most (HTTP/TLS exchanges after an open port) */
export const MAX_CLASSIFICATIONS = 256;
const SOCKETS_PER_CLASSIFICATION = 4;
/** assumed when the limit cannot be read (not Linux): the smallest common default */
const ASSUMED_LIMIT = 1024;

/** The soft limit on open files (RLIMIT_NOFILE), from /proc/self/limits; undefined elsewhere. */
export function openFileLimit(read: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(read());
    if (!m) return undefined;
    return m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]);
  } catch {
    return undefined;
  }
}

export interface ScanPools {
  connects: number;
  classifications: number;
  /** the file-descriptor limit they were fitted to, and whether it was read or assumed */
  fdLimit: number;
  fdLimitRead: boolean;
  /** --concurrency was lowered to fit the limit */
  clamped: boolean;
}

/** The two pools: `requested` (--concurrency) sets the connects; otherwise as many as fit, ≤ 4,096. */
export function scanPools(requested: number | undefined, limit: number | undefined): ScanPools {
  const fdLimit = limit ?? ASSUMED_LIMIT;
  const budget = Math.max(2, Math.floor(fdLimit / 2));
  const classifications = Math.max(1, Math.min(MAX_CLASSIFICATIONS, Math.floor(budget / 8), requested ?? Infinity));
  const fit = Math.max(1, Math.min(MAX_CONNECTS, budget - classifications * SOCKETS_PER_CLASSIFICATION));
  const connects = requested === undefined ? fit : Math.min(requested, fit);
  return { connects, classifications, fdLimit, fdLimitRead: limit !== undefined, clamped: requested !== undefined && requested > fit };
}
