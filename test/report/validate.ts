// The validators the report tests share: the repository's JSON Schemas (schemas/) and the SARIF
// 2.1.0 schema, both through ajv; and Microsoft's SARIF multitool (`validate`), the reference
// validator, which adds the SARIF rules a schema cannot say and GitHub code scanning's (rule kind Gh).
// The SARIF schema and the multitool come from the npm package @microsoft/sarif-multitool-linux
// (MIT; a devDependency): its sarif-2.1.0.json is the schema the multitool itself validates with.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

const require = createRequire(import.meta.url);
const SCHEMAS = path.join(import.meta.dirname, '../../schemas');

let ajv: Ajv2020 | undefined;
function schemas(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  for (const f of fs.readdirSync(SCHEMAS).filter((n) => n.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMAS, f), 'utf8')));
  return ajv;
}

const errorsOf = (v: ValidateFunction): string => JSON.stringify(v.errors?.slice(0, 10), null, 1);

/** Validates `report` against schemas/NAME.schema.json; throws with ajv's errors. */
export function assertSchema(name: 'node-report' | 'scan-report' | 'cluster-report' | 'checks', report: unknown): void {
  const v = schemas().getSchema(`https://raw.githubusercontent.com/kubelet-guard/kubelet-guard/main/schemas/${name}.schema.json`);
  if (!v) throw new Error(`no schema ${name}`);
  if (!v(report)) throw new Error(`${name}: ${errorsOf(v)}`);
}

/** The multitool's folder, or why it is not here (another OS: the package is Linux's). */
export function multitoolDir(): string | { skip: string } {
  try {
    return path.dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json'));
  } catch {
    return { skip: '@microsoft/sarif-multitool-linux is not installed (it installs on Linux only)' };
  }
}

let sarifSchema: ValidateFunction | undefined;
/** Validates a SARIF log against the SARIF 2.1.0 JSON schema; throws with ajv's errors. */
export function assertSarifSchema(log: unknown): void {
  if (!sarifSchema) {
    const dir = multitoolDir();
    if (typeof dir !== 'string') throw new Error(dir.skip);
    const a = new Ajv2020({ allErrors: true, strict: false }); // the schema uses `definitions` (draft-07 style) under 2020-12
    // the formats the SARIF schema uses, checked (ajv checks none by itself): a bad URI fails here
    a.addFormat('uri', (s: string) => URL.canParse(s));
    a.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/') && !/[\s\\]/.test(s));
    a.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s));
    a.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    sarifSchema = a.compile(JSON.parse(fs.readFileSync(path.join(dir, 'sarif-2.1.0.json'), 'utf8')));
  }
  if (!sarifSchema(log)) throw new Error(`SARIF schema: ${errorsOf(sarifSchema)}`);
}

export interface MultitoolResult { ruleId: string; level?: string; message: { text?: string; id?: string; arguments?: string[] } }

/**
 * Runs `Sarif.Multitool validate` with the SARIF and GitHub rule kinds on a log; returns its
 * errors and warnings (notes, such as "consider message ids", are left out), or a skip reason.
 */
export function multitoolValidate(log: unknown): MultitoolResult[] | { skip: string } {
  const dir = multitoolDir();
  if (typeof dir !== 'string') return dir;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-sarif-'));
  try {
    const input = path.join(tmp, 'in.sarif');
    const output = path.join(tmp, 'out.sarif');
    fs.writeFileSync(input, JSON.stringify(log));
    const bin = path.join(dir, 'Sarif.Multitool');
    fs.chmodSync(bin, 0o755); // npm ran no install script for it (allowScripts): it may lack its x bit
    // the binary itself, not the package's bin.js (it runs through a shell, which splits `Gh;Sarif`)
    const r = spawnSync(bin, ['validate', '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning', '--output', output, input],
      { encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
    if (r.error) throw r.error;
    if (!fs.existsSync(output)) throw new Error(`the multitool wrote no log (exit ${r.status}): ${r.stdout}${r.stderr}`);
    const out = JSON.parse(fs.readFileSync(output, 'utf8')) as { runs: Array<{ results?: MultitoolResult[]; invocations?: Array<{ toolExecutionNotifications?: unknown[]; executionSuccessful: boolean }> }> };
    const inv = out.runs[0]?.invocations?.[0];
    if (inv && !inv.executionSuccessful) throw new Error(`the multitool failed: ${JSON.stringify(inv.toolExecutionNotifications)}\n${r.stdout}`);
    return (out.runs[0]?.results ?? []).filter((x) => x.level !== 'note' && x.level !== 'none');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
