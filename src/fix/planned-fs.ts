// The node as a plan would leave it, in memory (issue 12, item 5): the node's own files, with the
// planned contents, modes and owners laid over them. The audit re-runs on it unchanged (sources
// read through RootFs), so the proof uses the very code that found the failures.
import { Buffer } from 'node:buffer';
import path from 'node:path';
import { normalize, RootFs, type DirEntry, type FileType, type ReadResult, type StatResult } from '../sources/root-fs.ts';

/** One planned file, by canonical node path (symlinks followed inside the root). */
export interface Overlay {
  /** the new content; absent: unchanged */
  bytes?: Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
  /** the file does not exist yet */
  created?: boolean;
}

export class PlannedFs extends RootFs {
  private readonly overlay: ReadonlyMap<string, Overlay>;

  constructor(root: string, overlay: ReadonlyMap<string, Overlay>) {
    super(root);
    this.overlay = overlay;
  }

  /** The overlay entry a node path reaches (a created file has no real path yet: its folder's plus its name). */
  private planned(nodePath: string, follow = true): { key: string; o: Overlay } | undefined {
    const real = follow ? super.realpath(nodePath) : undefined;
    if (real?.ok) {
      const o = this.overlay.get(real.path);
      return o ? { key: real.path, o } : undefined;
    }
    const p = normalize(nodePath);
    const dir = super.realpath(path.posix.dirname(p));
    if (!dir.ok) return undefined;
    const key = path.posix.join(dir.path, path.posix.basename(p));
    const o = this.overlay.get(key);
    return o?.created || (o && !follow) ? { key, o } : undefined;
  }

  override stat(nodePath: string, opts: { follow?: boolean } = {}): StatResult {
    const hit = this.planned(nodePath, opts.follow ?? true);
    if (!hit) return super.stat(nodePath, opts);
    const base: StatResult = hit.o.created ? { path: normalize(nodePath), exists: true, type: 'file', mode: 0o600, uid: 0, gid: 0, size: 0 } : super.stat(nodePath, opts);
    if (base.exists !== true) return base;
    return {
      ...base,
      ...(hit.o.mode !== undefined ? { mode: hit.o.mode } : {}),
      ...(hit.o.uid !== undefined ? { uid: hit.o.uid } : {}),
      ...(hit.o.gid !== undefined ? { gid: hit.o.gid } : {}),
      ...(hit.o.bytes ? { size: hit.o.bytes.length } : {}),
    };
  }

  override read(nodePath: string, maxBytes?: number): ReadResult {
    const hit = this.planned(nodePath);
    if (!hit?.o.bytes) return super.read(nodePath, maxBytes);
    const p = normalize(nodePath);
    if (maxBytes !== undefined && hit.o.bytes.length > maxBytes) return { ok: false, path: p, code: 'EFBIG', error: `too large to read: ${hit.o.bytes.length} bytes, more than the ${maxBytes}-byte limit` };
    return { ok: true, path: p, bytes: hit.o.bytes };
  }

  override realpath(nodePath: string): { ok: true; path: string } | { ok: false; code: string; error: string } {
    const r = super.realpath(nodePath);
    if (r.ok) return r;
    const hit = this.planned(nodePath);
    return hit ? { ok: true, path: hit.key } : r;
  }

  override entries(
    nodePath: string,
    keep: (name: string, type: FileType | undefined) => boolean = () => true,
    max = Infinity,
  ): { ok: true; entries: DirEntry[]; truncated?: true } | { ok: false; code: string; error: string } {
    const r = super.entries(nodePath, keep, max);
    if (!r.ok) return r;
    const dir = super.realpath(nodePath);
    if (!dir.ok) return r;
    const added: DirEntry[] = [];
    for (const [key, o] of this.overlay) {
      if (!o.created || path.posix.dirname(key) !== dir.path) continue;
      const name = path.posix.basename(key);
      if (keep(name, 'file') && !r.entries.some((e) => e.name === name)) added.push({ name, type: 'file' });
    }
    if (added.length === 0) return r;
    const entries = [...r.entries, ...added].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
    return { ...r, entries };
  }
}
