// A Kubernetes list answer ({"kind":…,"metadata":{…},"items":[…]}) read as it arrives: each element
// of the top-level "items" array is handed over as soon as its last byte is in, parsed on its own,
// and the rest of the object (kind, metadata with `continue`) is kept small and parsed at the end.
// So a page that ignores `limit` and sends hundreds of megabytes costs one item at a time, not the
// page. Every JSON error is an error (the items are JSON.parse'd, the skeleton too, the array's
// commas are checked); an item or a skeleton over its bound stops the page.
import { ByteSink } from '../net/byte-sink.ts';

export class ListStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ListStreamError';
  }
}

export interface ListPageLimits {
  /** bytes of one item's JSON */
  maxItemBytes: number;
  /** bytes of everything but the items (kind, apiVersion, metadata) */
  maxSkeletonBytes: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const MAX_KEY = 16; // only "items" is looked for

export class ListPageParser {
  private readonly limits: ListPageLimits;
  private readonly onItem: (item: unknown, bytes: number) => void;
  private readonly skeleton: ByteSink;
  private readonly item: ByteSink;
  private depth = 0; // containers open, the top-level object included
  private inString = false;
  private escaped = false;
  private started = false;
  private ended = false;
  // depth 1: where a key is expected, and the key being read
  private expectKey = false;
  private keyBytes: number[] | undefined;
  private lastKey = '';
  private afterColon = false;
  private sawItems = false;
  // inside the items array (depth 2 is the array itself)
  private inItems = false;
  private inElement = false;
  private scalar = false;
  private needComma = false;
  private afterComma = false;
  private elementStart = -1;
  private count = 0;

  constructor(limits: ListPageLimits, onItem: (item: unknown, bytes: number) => void) {
    this.limits = limits;
    this.onItem = onItem;
    this.skeleton = new ByteSink(limits.maxSkeletonBytes, 4096);
    this.item = new ByteSink(limits.maxItemBytes);
  }

  /** items handed over so far */
  get items(): number {
    return this.count;
  }

  /** whether a top-level "items" array was seen */
  get hasItems(): boolean {
    return this.sawItems;
  }

  write(chunk: Buffer): void {
    let skelStart = this.inItems ? -1 : 0;
    const keepSkeleton = (end: number): void => {
      if (skelStart >= 0 && end > skelStart && !this.skeleton.append(chunk.subarray(skelStart, end))) {
        throw new ListStreamError(`the list's metadata is over ${this.limits.maxSkeletonBytes} bytes`);
      }
    };
    if (this.inElement) this.elementStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.inString) {
        // skip to the next quote or backslash in one call, not byte by byte
        if (this.escaped) {
          this.escaped = false;
          continue;
        }
        if (c !== QUOTE && c !== BACKSLASH) {
          const q = chunk.indexOf(QUOTE, i);
          const b = chunk.indexOf(BACKSLASH, i);
          const next = q < 0 ? b : b < 0 ? q : Math.min(q, b);
          if (next < 0) {
            if (this.keyBytes) this.readKey(chunk, i, chunk.length);
            i = chunk.length - 1;
            continue;
          }
          if (this.keyBytes) this.readKey(chunk, i, next);
          i = next;
        }
        if (chunk[i] === BACKSLASH) {
          this.escaped = true;
          if (this.keyBytes) this.keyBytes.push(BACKSLASH);
          continue;
        }
        this.inString = false;
        if (this.keyBytes) {
          this.lastKey = Buffer.from(this.keyBytes).toString('latin1');
          this.keyBytes = undefined;
        }
        if (this.inElement && this.depth === 2) this.endElement(chunk, i + 1);
        continue;
      }
      if (this.inItems && !this.inElement) {
        // between the items array's elements
        if (isSpace(c)) continue;
        if (c === COMMA) {
          if (!this.needComma) throw new ListStreamError('a misplaced "," in the items array');
          this.needComma = false;
          this.afterComma = true;
          continue;
        }
        if (c === RBRACKET) {
          if (this.afterComma) throw new ListStreamError('a "," before "]" in the items array');
          this.inItems = false;
          this.depth = 1;
          skelStart = i; // the skeleton gets "[" … "]", empty
          continue;
        }
        if (this.needComma) throw new ListStreamError('a missing "," between items');
        this.inElement = true;
        this.afterComma = false;
        this.elementStart = i;
        this.scalar = false;
        if (c === LBRACE || c === LBRACKET) this.depth++;
        else if (c === QUOTE) this.inString = true;
        else this.scalar = true;
        continue;
      }
      if (this.inElement) {
        if (this.scalar) {
          if (c === COMMA || c === RBRACKET || isSpace(c)) {
            this.endElement(chunk, i);
            i--; // the delimiter is read again, between elements
          }
          continue;
        }
        if (c === QUOTE) this.inString = true;
        else if (c === LBRACE || c === LBRACKET) this.depth++;
        else if (c === RBRACE || c === RBRACKET) {
          this.depth--;
          if (this.depth === 2) this.endElement(chunk, i + 1);
        }
        continue;
      }
      // the skeleton: everything outside the items array
      if (this.ended) {
        if (!isSpace(c)) throw new ListStreamError('data after the end of the list object');
        continue;
      }
      if (!this.started) {
        if (isSpace(c)) continue;
        if (c !== LBRACE) throw new ListStreamError('the answer is not a JSON object');
        this.started = true;
        this.depth = 1;
        this.expectKey = true;
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        if (this.depth === 1 && this.expectKey) {
          this.keyBytes = [];
          this.expectKey = false;
        }
        continue;
      }
      if (this.depth === 1) {
        if (c === COLON) {
          this.afterColon = true;
          continue;
        }
        if (c === COMMA) {
          this.expectKey = true;
          this.afterColon = false;
          continue;
        }
        if (this.afterColon && !isSpace(c)) {
          this.afterColon = false;
          if (this.lastKey === 'items' && c === LBRACKET) {
            if (this.sawItems) throw new ListStreamError('two "items" arrays in one list');
            this.sawItems = true;
            keepSkeleton(i + 1);
            skelStart = -1;
            this.inItems = true;
            this.needComma = false;
            this.afterComma = false;
            this.depth = 2;
            continue;
          }
        }
      }
      if (c === LBRACE || c === LBRACKET) this.depth++;
      else if (c === RBRACE || c === RBRACKET) {
        this.depth--;
        if (this.depth === 0) {
          this.ended = true;
          keepSkeleton(i + 1);
          skelStart = -1;
        }
      }
    }
    if (this.inElement && this.elementStart >= 0 && !this.item.append(chunk.subarray(this.elementStart))) {
      throw new ListStreamError(`item ${this.count + 1} is over ${this.limits.maxItemBytes} bytes`);
    }
    if (!this.inItems) keepSkeleton(chunk.length);
  }

  /** The list without its items ({"metadata":…,"items":[]}); throws when the answer was cut short or is not JSON. */
  end(): { metadata?: { continue?: unknown }; items?: unknown } & Record<string, unknown> {
    if (!this.ended) throw new ListStreamError(this.started ? 'the answer ends before the list object does' : 'the answer is empty');
    let v: unknown;
    try {
      v = JSON.parse(this.skeleton.text());
    } catch (e) {
      throw new ListStreamError(`the answer is not JSON (${(e as Error).message})`);
    }
    return v as ReturnType<ListPageParser['end']>;
  }

  private readKey(chunk: Buffer, from: number, to: number): void {
    const keys = this.keyBytes!;
    for (let k = from; k < to && keys.length <= MAX_KEY; k++) keys.push(chunk[k]!);
  }

  private endElement(chunk: Buffer, end: number): void {
    if (!this.item.append(chunk.subarray(this.elementStart, end))) {
      throw new ListStreamError(`item ${this.count + 1} is over ${this.limits.maxItemBytes} bytes`);
    }
    const bytes = this.item.length;
    let v: unknown;
    try {
      v = JSON.parse(this.item.text());
    } catch (e) {
      throw new ListStreamError(`item ${this.count + 1} is not JSON (${(e as Error).message})`);
    }
    this.item.reset(64 * 1024); // a large item does not pin its buffer
    this.inElement = false;
    this.elementStart = -1;
    this.needComma = true;
    this.count++;
    this.onItem(v, bytes);
  }
}
