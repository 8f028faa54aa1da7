// CIS 1.2.14: the NodeRestriction admission plugin (kubelet-facts §7). It is not on by default
// (pkg/kubeapiserver/options/plugins.go DefaultOffAdmissionPlugins), so it must be listed in
// --enable-admission-plugins, or in the deprecated --admission-control, which replaces the whole
// list and cannot be combined with --enable/--disable-admission-plugins. A plugin in both the
// enable and the disable list stops the API server (k8s.io/apiserver admission options Validate).
import type { Check, CheckResult } from '../types.ts';
import { sliceFlag } from '../../sources/control-plane.ts';
import { at, defaultEvidence, fixFlag, flagEvidence, flagFix, perComponent } from './common.ts';

const PLUGIN = 'NodeRestriction';

export const apiserverNodeRestriction: Check = {
  meta: {
    id: 'apiserver-node-restriction',
    title: 'The NodeRestriction admission plugin limits what kubelets may change',
    section: 'control-plane',
    severity: 'high',
    cis: ['1.2.14'],
    setting: '--enable-admission-plugins',
    rationale:
      "Without NodeRestriction a kubelet's credential may change other Node objects and the labels of its own node (node-restriction.kubernetes.io/ labels included) and create mirror pods freely: one compromised node can attract sensitive workloads or tamper with other nodes.",
    remediation: 'Add NodeRestriction to --enable-admission-plugins in the API server manifest.',
  },
  evaluate: (facts) =>
    perComponent(facts, 'kube-apiserver', (c): CheckResult => {
      const legacy = sliceFlag(c, 'admission-control');
      const enable = sliceFlag(c, 'enable-admission-plugins');
      const disable = sliceFlag(c, 'disable-admission-plugins');
      const evidence = [legacy, enable, disable].flatMap((s) => (s ? s.flags.map((f) => flagEvidence(f)) : []));
      const list = (s: NonNullable<typeof enable>) => s.flags.map((f) => `${f.text} (${at(f)})`).join(' and ');
      if (legacy && (enable || disable)) {
        return { status: 'unknown', message: `the API server refuses to start: ${list(legacy)} cannot be combined with --enable-admission-plugins or --disable-admission-plugins`, evidence };
      }
      if (legacy) {
        if (legacy.values.includes(PLUGIN)) return { status: 'pass', message: `NodeRestriction is enabled by the deprecated ${list(legacy)}`, evidence };
        return {
          status: 'fail',
          message: `NodeRestriction is not enabled: the deprecated ${list(legacy)} replaces the whole plugin list and does not name it`,
          evidence,
          ...flagFix(facts, c, 'admission-control', `--admission-control=${[...legacy.values, PLUGIN].join(',')}`),
        };
      }
      const on = enable?.values.includes(PLUGIN) ?? false;
      const off = disable?.values.includes(PLUGIN) ?? false;
      if (on && off) return { status: 'unknown', message: `the API server refuses to start: NodeRestriction is in both ${list(enable!)} and ${list(disable!)}`, evidence };
      if (on) return { status: 'pass', message: `NodeRestriction is enabled: ${list(enable!)}`, evidence };
      if (!enable) evidence.push(defaultEvidence(c, 'enable-admission-plugins', '', 'not set: only the default plugins run, and NodeRestriction is not one of them'));
      const want = `--enable-admission-plugins=${[...(enable?.values ?? []), PLUGIN].join(',')}`;
      return {
        status: 'fail',
        message: enable ? `NodeRestriction is not enabled: ${list(enable)} does not name it, and it is off by default` : 'NodeRestriction is not enabled: --enable-admission-plugins is not set, and NodeRestriction is off by default',
        evidence,
        ...(off
          ? { remediation: `${fixFlag(c, 'enable-admission-plugins', want)} Also remove NodeRestriction from ${list(disable!)}.`, noFix: `NodeRestriction is also in ${list(disable!)}: which list should change is for a person to decide` }
          : flagFix(facts, c, 'enable-admission-plugins', want)),
      };
    }),
};
