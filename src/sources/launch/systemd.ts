// The plain way: the kubelet is its own process, started by a systemd unit (kubeadm, kind, AKS,
// GKE, EKS, Bottlerocket, OpenShift). Live, the running process is audited, with the file and line
// of each word when the unit would start the same command line; offline (or for `fix`), the unit.
import type { Arg, Diagnostic, KubeletInvocation } from '../../facts/types.ts';
import type { Launch, LaunchModel } from '../../distros/types.ts';
import { reconstructUnit } from '../systemd-unit.ts';
import { findProcesses } from '../proc.ts';

/**
 * `wrappers`: basenames of programs the unit's ExecStart runs that exec the rest of their argv
 * unchanged (OpenShift's kubenswrapper): they are dropped from the front of the command line when
 * the kubelet follows, so the kubelet's own argv is what is parsed and compared with the process.
 */
export function systemdLaunch(unitName = 'kubelet.service', processName = 'kubelet', wrappers: readonly string[] = []): LaunchModel {
  const unit = (fs: Parameters<LaunchModel>[0]['fs']) => unwrapped(reconstructUnit(fs, unitName), wrappers, processName);
  return ({ fs, live, fromFiles }): Launch => {
    const diagnostics: Diagnostic[] = [];
    if (live && !fromFiles) {
      const procs = findProcesses(fs, processName);
      if (procs.error) diagnostics.push({ code: 'proc-unreadable', severity: 'info', message: procs.error });
      const p = procs.found[0];
      if (p) {
        if (procs.found.length > 1) diagnostics.push({ code: 'several-kubelets', severity: 'info', message: `${procs.found.length} kubelet processes are running (pids ${procs.found.map((x) => x.pid).join(', ')}); auditing pid ${p.pid}` });
        let argv: Arg[] = p.argv.map((text) => ({ text, via: `/proc/${p.pid}/cmdline` }));
        // The unit that started it names the files CIS 4.1.1/4.1.2 ask about, and, when it would
        // start the same command line, the file and line of every word (for exact fixes).
        const u = unit(fs);
        if (u.unit && u.argv.length > 0) {
          const same = u.argv.length === argv.length && u.argv.every((a, i) => a.text === argv[i]!.text);
          if (same) argv = u.argv;
          else diagnostics.push({ code: 'unit-drift', severity: 'low', message: `the running kubelet (pid ${p.pid}) was started with another command line than ${u.unit.file} gives now: a changed unit or env file awaits a restart; the running process is audited`, file: u.unit.file });
        }
        const invocation: KubeletInvocation = { from: 'process', pid: p.pid, argv, env: p.env, flags: [], ...(u.unit ? { unit: u.unit } : {}) };
        return { invocation, diagnostics };
      }
    }
    const u = unit(fs);
    diagnostics.push(...u.diagnostics);
    if (u.argv.length > 0 && u.unit) {
      const invocation: KubeletInvocation = { from: 'systemd-unit', argv: u.argv, env: u.env, unit: u.unit, flags: [] };
      const hidden = u.incomplete ? `part of the kubelet's command line could not be read (${u.incomplete.join('; ')}), so any setting may be overridden by a flag not seen` : undefined;
      return { invocation, diagnostics, ...(hidden ? { hidden } : {}) };
    }
    const missing = live
      ? `no ${processName} process is running${u.missing ? ` and ${u.missing}` : ''}`
      : (u.missing ?? `no ${unitName} unit with an ExecStart was found`);
    return { diagnostics, missing };
  };
}

/** The unit's command line without leading exec wrappers, when the kubelet follows them. */
function unwrapped<U extends { argv: Arg[] }>(u: U, wrappers: readonly string[], processName: string): U {
  const base = (w: string) => w.slice(w.lastIndexOf('/') + 1);
  let i = 0;
  while (i < u.argv.length - 1 && wrappers.includes(base(u.argv[i]!.text))) i++;
  return i > 0 && base(u.argv[i]!.text) === processName ? { ...u, argv: u.argv.slice(i) } : u;
}
