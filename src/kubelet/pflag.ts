// The kubelet's argv parsed the way spf13/pflag parses it (kubelet-facts §5.5):
// `--flag=value` or `--flag value` for non-bool flags (the next word is taken whatever it looks
// like), bool flags only as `--flag` or `--flag=value`, `_` normalized to `-`
// (cliflag.WordSepNormalizeFunc), `--` ends the flags. An unknown flag, a missing value or a
// positional argument stops the real kubelet from starting: those become fatal diagnostics.
import type { Arg, Diagnostic, ParsedFlag } from '../facts/types.ts';
import { flagByName, KUBELET_FLAGS, type FlagSpec } from './kubelet-schema.ts';
import { parseGoDuration } from './go-duration.ts';

export interface ParsedArgs {
  flags: ParsedFlag[];
  diagnostics: Diagnostic[];
}

export function parsePflags(args: readonly Arg[]): ParsedArgs {
  const flags: ParsedFlag[] = [];
  const diagnostics: Diagnostic[] = [];
  const fatal = (a: Arg, message: string) =>
    diagnostics.push({ code: 'flag-invalid', severity: 'high', message, file: a.file, line: a.line, fatal: true });

  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const s = a.text;
    if (s === '--') {
      if (i + 1 < args.length) fatal(args[i + 1]!, `unexpected argument "${args[i + 1]!.text}" after "--": the kubelet refuses to start ("unknown command")`);
      break;
    }
    if (!s.startsWith('-') || s === '-') {
      fatal(a, `unexpected argument "${s}": the kubelet takes no positional arguments and refuses to start ("unknown command")`);
      continue;
    }
    const long = s.startsWith('--');
    const body = s.slice(long ? 2 : 1);
    const eq = body.indexOf('=');
    const rawName = eq >= 0 ? body.slice(0, eq) : body;
    let spec: FlagSpec | undefined;
    if (long) spec = flagByName(rawName);
    else if (rawName.length === 1) spec = shorthand(rawName);
    else spec = undefined; // pflag reads -abc as shorthands a, b, c: none of the kubelet's are combinable
    if (!spec) {
      fatal(a, `unknown flag "${long ? '--' : '-'}${rawName}": the kubelet refuses to start`);
      continue;
    }
    let value: string;
    let text = s;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (spec.kind === 'bool' || spec.noOptDefVal !== undefined) value = spec.noOptDefVal ?? 'true';
    else if (i + 1 < args.length) {
      value = args[++i]!.text;
      text = `${s} ${value}`;
    } else {
      fatal(a, `flag needs an argument: ${s}`);
      continue;
    }
    const bad = checkValue(spec, value);
    if (bad) fatal(a, `invalid value "${value}" for flag --${spec.name}: ${bad}; the kubelet refuses to start`);
    flags.push({ name: spec.name, value, text, file: a.file, line: a.line, ...(a.by !== undefined ? { by: a.by } : {}) });
  }
  return { flags, diagnostics };
}

// -v and other one-letter Go flags get their name as shorthand (pflag.PFlagFromGoFlag).
let shorthands: Map<string, FlagSpec> | undefined;
function shorthand(c: string): FlagSpec | undefined {
  shorthands ??= new Map(KUBELET_FLAGS.filter((f) => f.shorthand).map((f) => [f.shorthand!, f]));
  return shorthands.get(c);
}

const BOOL_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool, as pflag uses it. */
export function parseGoBool(v: string): boolean | undefined {
  if (!BOOL_WORDS.has(v)) return undefined;
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}

/** strconv.ParseInt(v, 0, 64): decimal, 0x, 0o/0, 0b, underscores only with a prefix. */
export function parseGoInt(v: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9]*)$/.exec(v);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  let body = m[2]!;
  if (body.includes('_') && !/^0[xXoObB]?/.test(body)) return undefined;
  body = body.replace(/_/g, '');
  let n: number;
  if (/^0[xX]/.test(body)) n = parseInt(body.slice(2), 16);
  else if (/^0[oO]/.test(body)) n = parseInt(body.slice(2), 8);
  else if (/^0[bB]/.test(body)) n = parseInt(body.slice(2), 2);
  else if (body.length > 1 && body.startsWith('0')) n = parseInt(body.slice(1), 8);
  else n = parseInt(body, 10);
  return Number.isSafeInteger(n) ? sign * n : undefined;
}

function checkValue(spec: FlagSpec, v: string): string | undefined {
  switch (spec.kind) {
    case 'bool':
      return parseGoBool(v) === undefined ? 'not a boolean (strconv.ParseBool)' : undefined;
    case 'int':
      return parseGoInt(v) === undefined ? 'not an integer' : undefined;
    case 'float':
      return v.trim() === '' || Number.isNaN(Number(v)) ? 'not a number' : undefined;
    case 'duration':
      return parseGoDuration(v) === undefined ? 'not a Go duration (e.g. 5m0s)' : undefined;
    case 'mapStringBool':
      for (const kv of v.split(',')) {
        if (kv.trim() === '') continue;
        const [k, b] = kv.split('=');
        if (!k || b === undefined || parseGoBool(b.trim()) === undefined) return `"${kv}" is not KEY=true|false`;
      }
      return undefined;
    default:
      return undefined;
  }
}
