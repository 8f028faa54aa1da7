// A progress line on standard error, redrawn in place at most 10 times a second and cleared at the
// end: the sweep's (done/total, open ports, kubelets found, rate, ETA) by default, any other with a
// formatter. When the stream is not a terminal (a pipe, a file, CI) it writes nothing at all.
import type { SweepProgress } from './engine.ts';
import { inert } from '../report/terminal.ts';

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
}

export interface ProgressWriter<P = SweepProgress> {
  /** draws the line, at most every 100 ms (calls in between are dropped) */
  update(p: P): void;
  /** clears the line; later updates are ignored */
  finish(): void;
}

const CLEAR = '\r\x1b[2K';
const MIN_INTERVAL_MS = 100;

const n = (x: number | bigint) => x.toLocaleString('en-US');

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The progress line, at most `columns - 1` characters (the last column would wrap on some terminals). */
export function formatProgressLine(p: SweepProgress, columns = 80): string {
  const total = typeof p.total === 'bigint' ? Number(p.total) : p.total;
  const frac = total > 0 ? Math.min(1, p.done / total) : undefined;
  const count = total > 0 ? `${n(p.done)}/${n(p.total)} ${(frac! * 100).toFixed(1)}%` : `${n(p.done)} probes`;
  const tail = `open ${n(p.open)}  kubelets ${n(p.found)}  ${n(Math.round(p.rate))}/s  ETA ${p.etaSeconds === null ? '?' : formatDuration(p.etaSeconds)}`;
  const width = Math.max(20, columns) - 1;
  let line = `scan ${count}  ${tail}`;
  const barWidth = Math.min(30, width - line.length - 3);
  if (frac !== undefined && barWidth >= 10) {
    const filled = Math.round(frac * barWidth);
    line = `scan [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${count}  ${tail}`;
  }
  return line.length > width ? line.slice(0, width) : line;
}

/** A progress line for any kind of progress `P`: `format` draws it (the scan's by default). */
export function createProgressWriter<P = SweepProgress>(
  stream: ProgressStream = process.stderr,
  now: () => number = () => performance.now(),
  format: (p: P, columns: number) => string = formatProgressLine as unknown as (p: P, columns: number) => string,
): ProgressWriter<P> {
  if (!stream.isTTY) return { update() {}, finish() {} };
  let lastDraw = -Infinity;
  let drawn = false;
  let finished = false;
  return {
    update(p) {
      if (finished) return;
      const t = now();
      if (t - lastDraw < MIN_INTERVAL_MS) return;
      lastDraw = t;
      drawn = true;
      stream.write(CLEAR + inert(format(p, stream.columns ?? 80)));
    },
    finish() {
      if (finished) return;
      finished = true;
      if (drawn) stream.write(CLEAR);
    },
  };
}
