// A kubeconfig exec credential plugin, run with a deadline. @kubernetes/client-node runs it with
// child_process.spawn and no timeout, keeping all of its output (exec_auth.js): a plugin that never
// exits holds the audit forever, one that writes forever fills memory. client-go has no deadline
// either (plugin/pkg/client/auth/exec/exec.go: cmd.Run()). So the plugin is run here, the way
// client-go does it: the kubeconfig's command, args and env on top of ours, KUBERNETES_EXEC_INFO
// holding an ExecCredential (spec.interactive false: the audit never prompts, stdin is closed),
// and the answer checked as exec.go checks it (its apiVersion, a status, a token or a
// certificate/key pair, never one without the other). Its output is capped; on the deadline its
// whole process group is killed.
import { spawn } from 'node:child_process';
import { ByteSink } from '../net/byte-sink.ts';
import { errorWords } from '../sources/errno.ts';

export interface ExecConfig {
  command?: unknown;
  args?: unknown;
  env?: unknown;
  apiVersion?: unknown;
  provideClusterInfo?: unknown;
}

export interface ExecCredentialStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** ms since the epoch; absent: valid until a 401 */
  expiresAt?: number;
}

const API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];
const MAX_STDOUT = 1024 * 1024; // an ExecCredential with a certificate chain is a few KiB
const STDERR_KEPT = 2048;

const running = new Set<number>();
let exitHook = false;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch { /* already gone */ }
  }
}

/** Runs the plugin; rejects with a message naming it on a failure, a bad answer or the deadline. */
export function runExecPlugin(exec: ExecConfig, opts: { timeoutMs: number; signal?: AbortSignal; cluster?: object }): Promise<ExecCredentialStatus> {
  const command = typeof exec.command === 'string' ? exec.command : '';
  const name = JSON.stringify(command.slice(0, 200));
  if (command === '') return Promise.reject(new Error('exec credential plugin: no command'));
  const apiVersion = typeof exec.apiVersion === 'string' ? exec.apiVersion : '';
  if (!API_VERSIONS.includes(apiVersion)) {
    return Promise.reject(new Error(`exec credential plugin ${name}: apiVersion ${JSON.stringify(apiVersion)} is not one of ${API_VERSIONS.join(', ')}`));
  }
  const args = Array.isArray(exec.args) ? exec.args.filter((a): a is string => typeof a === 'string') : [];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (Array.isArray(exec.env)) {
    for (const e of exec.env as { name?: unknown; value?: unknown }[]) if (typeof e?.name === 'string') env[e.name] = typeof e.value === 'string' ? e.value : '';
  }
  env.KUBERNETES_EXEC_INFO = JSON.stringify({
    apiVersion, kind: 'ExecCredential',
    spec: { interactive: false, ...(exec.provideClusterInfo === true && opts.cluster ? { cluster: opts.cluster } : {}) },
  });
  if (opts.signal?.aborted) return Promise.reject(new Error(`exec credential plugin ${name} not run: ${reason(opts.signal)}`));

  return new Promise((resolve, reject) => {
    // its own process group, so the deadline kills what it started too (a shell's children)
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = new ByteSink(MAX_STDOUT, 4096);
    let errTail = '';
    let settled = false;
    const finish = (e: Error | undefined, v?: ExecCredentialStatus): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (child.pid !== undefined) {
        if (e) killGroup(child.pid);
        running.delete(child.pid);
      }
      child.stdout?.destroy();
      child.stderr?.destroy();
      if (e) reject(e);
      else resolve(v!);
    };
    const onAbort = (): void => finish(new Error(`exec credential plugin ${name} stopped: ${reason(opts.signal!)}`));
    const timer = setTimeout(() => finish(new Error(`exec credential plugin ${name} did not exit within ${opts.timeoutMs} ms (--timeout); killed`)), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (child.pid !== undefined) {
      running.add(child.pid);
      if (!exitHook) {
        exitHook = true;
        process.once('exit', () => { for (const pid of running) killGroup(pid); });
      }
    }
    child.stdout.on('data', (c: Buffer) => {
      if (!out.append(c)) finish(new Error(`exec credential plugin ${name} wrote over ${MAX_STDOUT} bytes; killed`));
    });
    child.stderr.on('data', (c: Buffer) => {
      errTail = (errTail + c.toString('utf8')).slice(-STDERR_KEPT);
    });
    child.on('error', (e) => finish(new Error(`exec credential plugin ${name}: ${errorWords(e)}`)));
    // 'exit', not 'close': a child it left behind may hold the pipes open
    child.on('exit', (code, signal) => {
      if (settled) return;
      // let the last output in (the pipes drain right after exit)
      setImmediate(() => {
        if (code !== 0) {
          finish(new Error(`exec credential plugin ${name} exited with ${code ?? signal}${errTail.trim() ? `: ${errTail.trim()}` : ''}`));
          return;
        }
        try {
          finish(undefined, parseExecCredential(out.text(), apiVersion, name));
        } catch (e) {
          finish(e as Error);
        }
      });
    });
  });
}

function reason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'aborted';
}

/** The ExecCredential a plugin printed, checked as client-go's exec.go checks it. */
export function parseExecCredential(text: string, apiVersion: string, name = 'plugin'): ExecCredentialStatus {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`exec credential plugin ${name}: its output is not JSON (${(e as Error).message})`, { cause: e });
  }
  const o = (v !== null && typeof v === 'object' ? v : {}) as { apiVersion?: unknown; kind?: unknown; status?: unknown };
  if (o.apiVersion !== apiVersion) {
    throw new Error(`exec credential plugin ${name} is configured to use API version ${apiVersion}, plugin returned version ${JSON.stringify(String(o.apiVersion).slice(0, 100))}`);
  }
  const s = (o.status !== null && typeof o.status === 'object' ? o.status : undefined) as Record<string, unknown> | undefined;
  if (!s) throw new Error(`exec credential plugin ${name} didn't return a status field`);
  const str = (k: string): string => (typeof s[k] === 'string' ? (s[k] as string) : '');
  const token = str('token');
  const cert = str('clientCertificateData');
  const key = str('clientKeyData');
  if (token === '' && cert === '' && key === '') throw new Error(`exec credential plugin ${name} didn't return a token or cert/key pair`);
  if ((cert === '') !== (key === '')) throw new Error(`exec credential plugin ${name} returned only certificate or key, not both`);
  const exp = str('expirationTimestamp');
  const expiresAt = exp ? Date.parse(exp) : undefined;
  return {
    ...(token ? { token } : {}),
    ...(cert ? { clientCertificateData: cert, clientKeyData: key } : {}),
    ...(expiresAt !== undefined && Number.isFinite(expiresAt) ? { expiresAt } : {}),
  };
}
