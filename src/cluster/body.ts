// A response body held as ONE growing buffer, capped by the bytes it holds. Keeping each socket
// chunk instead (an array of Buffers) costs per chunk, not per byte: a body dripped in one-byte TLS
// records keeps a small Buffer, and often the slab it was cut from, for every byte — 1.2 GB for
// a 3 MB body. Here the cost is the body's length, at most doubled while it grows.

export class GrowingBuffer {
  private buf: Buffer;
  private used = 0;
  readonly max: number;

  constructor(max: number, initial = 16 * 1024) {
    this.max = max;
    this.buf = Buffer.allocUnsafe(Math.min(Math.max(initial, 64), Math.max(max, 64)));
  }

  get length(): number {
    return this.used;
  }

  /** Appends bytes; false (and nothing appended) when they would take the total over `max`. */
  append(chunk: Uint8Array, start = 0, end = chunk.length): boolean {
    const n = end - start;
    if (n <= 0) return true;
    if (this.used + n > this.max) return false;
    if (this.used + n > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < this.used + n) size *= 2;
      const next = Buffer.allocUnsafe(Math.min(size, this.max));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    this.buf.set(chunk.subarray(start, end), this.used);
    this.used += n;
    return true;
  }

  /** The bytes held (a view: valid until the next append or reset). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  text(): string {
    return this.buf.toString('utf8', 0, this.used);
  }

  /** Empties it, keeping at most `keep` bytes of capacity (a large item does not pin its buffer). */
  reset(keep = 64 * 1024): void {
    this.used = 0;
    if (this.buf.length > keep) this.buf = Buffer.allocUnsafe(keep);
  }
}
