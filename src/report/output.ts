// The output layer: every byte the tool writes — tables, JSON, jsonl, progress lines, usage and
// internal errors, commander's own messages, any future report format — goes through it. main()
// makes one per invocation (no state outlives a run; the in-process test runner relies on that):
//   1. redaction: the invocation's registered secrets and the text rules of src/facts/redact.ts
//      (report/secrets.ts);
//   2. a last line of defence against terminal tricks: C1 controls, bidi and other format
//      characters and U+2028/9 left in the text become `\uXXXX`. Writers make untrusted text inert
//      themselves (report/terminal.ts), and JSON.stringify escapes C0; in JSON text these
//      characters can only stand inside strings, where the escape keeps the parsed value exact.
// Writes stay synchronous and keep their backpressure: write() returns what the underlying stream
// returned, and 'drain' is the underlying stream's.
import { Secrets } from './secrets.ts';
import { escapeForJson } from './terminal.ts';

/** What the tool writes to: process.stdout/stderr, or a test's PassThrough. */
export interface OutStream {
  write(chunk: string): boolean;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  out: OutStream;
  err: OutStream;
  /** the invocation's secrets; set by main() (createOutput) */
  secrets?: Secrets;
}

export interface Output extends Io {
  secrets: Secrets;
}

class RedactingStream implements OutStream {
  private readonly inner: OutStream;
  private readonly secrets: Secrets;

  constructor(inner: OutStream, secrets: Secrets) {
    this.inner = inner;
    this.secrets = secrets;
  }

  write(chunk: string | Uint8Array): boolean {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return this.inner.write(escapeForJson(this.secrets.redact(text)));
  }

  once(event: 'drain', listener: () => void): this {
    this.inner.once?.(event, listener);
    return this;
  }

  get isTTY(): boolean | undefined {
    return this.inner.isTTY;
  }

  get columns(): number | undefined {
    return this.inner.columns;
  }
}

/** The invocation's output: `io`'s streams behind the redaction layer, with a fresh secrets registry. */
export function createOutput(io: Io): Output {
  if (io.secrets && io.out instanceof RedactingStream && io.err instanceof RedactingStream) return io as Output;
  const secrets = io.secrets ?? new Secrets();
  return { out: new RedactingStream(io.out, secrets), err: new RedactingStream(io.err, secrets), secrets };
}
