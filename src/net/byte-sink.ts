// Bytes received in pieces, held in one growing buffer up to a cap. A hostile server can send a
// 3 MB body as three million one-byte chunks; kept as an array of Buffers that costs over a
// gigabyte (every Buffer is an object, and a slice keeps its whole socket read buffer alive).
// Here memory is what is held (at most twice it, while growing) and every chunk is copied and let
// go, so the cap counts what the process really keeps. The scan's HTTP client and the cluster's
// API-server client (bodies, list items, exec plugin output) both hold bytes in it.

const MIN_CAPACITY = 16 * 1024;

export class ByteSink {
  readonly cap: number;
  #buf: Buffer;
  #len = 0;

  /** cap: the most bytes ever held; sizeHint: expected total (a Content-Length), trusted only up to the cap */
  constructor(cap: number, sizeHint = 0) {
    this.cap = Math.max(0, Math.floor(cap));
    const first = Number.isFinite(sizeHint) && sizeHint > 0 ? Math.min(sizeHint, this.cap, 1024 * 1024) : MIN_CAPACITY;
    this.#buf = Buffer.allocUnsafe(Math.min(this.cap, Math.max(1, first)));
  }

  get length(): number {
    return this.#len;
  }

  /** Appends what fits under the cap; false when the chunk did not fit whole (the rest is dropped). */
  append(chunk: Uint8Array): boolean {
    const room = this.cap - this.#len;
    const n = Math.min(room, chunk.length);
    if (n > 0) {
      if (this.#len + n > this.#buf.length) {
        const grown = Buffer.allocUnsafe(Math.min(this.cap, Math.max(this.#len + n, this.#buf.length * 2)));
        this.#buf.copy(grown, 0, 0, this.#len);
        this.#buf = grown;
      }
      this.#buf.set(n === chunk.length ? chunk : chunk.subarray(0, n), this.#len);
      this.#len += n;
    }
    return n === chunk.length;
  }

  /** The bytes held, as a view (valid until the next append or clear). */
  view(): Buffer {
    return this.#buf.subarray(0, this.#len);
  }

  /** The bytes held, decoded as UTF-8. */
  text(): string {
    return this.#buf.toString('utf8', 0, this.#len);
  }

  /** The bytes held, in a buffer of their own size; the sink is emptied. */
  take(): Buffer {
    const out = this.#len === this.#buf.length ? this.#buf : Buffer.from(this.#buf.subarray(0, this.#len));
    this.clear();
    return out;
  }

  /**
   * Forgets the bytes, keeping the buffer for the next ones — up to `keep` bytes of it, so that one
   * large item read into a reused sink does not pin its buffer for all the small ones after it.
   */
  reset(keep = Infinity): void {
    this.#len = 0;
    if (this.#buf.length > keep) this.#buf = Buffer.allocUnsafe(Math.min(this.cap, keep));
  }

  /** Forgets the bytes and releases the buffer. */
  clear(): void {
    this.#buf = Buffer.alloc(0);
    this.#len = 0;
  }
}
