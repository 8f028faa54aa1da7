// The JSON report of `kubelet-guard cluster`, written as it is made: the header, then every finding
// the moment it is known, then the nodes and the summary. A 5,000-node audit has ~170,000 findings;
// holding them and the whole document as one string is what once took the audit past 1 GB.
// The output is one pretty-printed JSON object (2 spaces), like `kubelet-guard node --format json`;
// only its key order differs from building it at once (findings before nodes and summary).
import type { OutStream as Writable } from './output.ts';
import type { Finding } from '../checks/types.ts';

export interface JsonStream {
  finding(f: Finding): Promise<void>;
  /** the remaining top-level keys, in order; ends the document */
  end(rest: Record<string, unknown>): Promise<void>;
}

/** Writes, waiting for 'drain' when the stream asks to (a slow pipe never makes us buffer the report). */
function writer(out: Writable): (s: string) => Promise<void> {
  return (s) => (out.write(s) || typeof out.once !== 'function' ? Promise.resolve() : new Promise((resolve) => out.once!('drain', resolve)));
}

const indent = (json: string, by: string) => json.replace(/\n/g, `\n${by}`);

/** Starts the document with `head`'s keys and an open "findings" array. */
export async function startJsonStream(out: Writable, head: object): Promise<JsonStream> {
  const write = writer(out);
  let first = true;
  let text = '{\n';
  for (const [k, v] of Object.entries(head)) text += `  ${JSON.stringify(k)}: ${indent(JSON.stringify(v, null, 2), '  ')},\n`;
  await write(`${text}  "findings": [`);
  return {
    async finding(f) {
      await write(`${first ? '' : ','}\n    ${indent(JSON.stringify(f, null, 2), '    ')}`);
      first = false;
    },
    async end(rest) {
      let tail = first ? ']' : '\n  ]';
      for (const [k, v] of Object.entries(rest)) tail += `,\n  ${JSON.stringify(k)}: ${indent(JSON.stringify(v, null, 2), '  ')}`;
      await write(`${tail}\n}\n`);
    },
  };
}
