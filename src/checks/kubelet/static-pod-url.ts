// staticPodURL (--manifest-url): the kubelet fetches pod manifests from that URL and runs them as
// static pods, without API-server admission (kubelet-facts §7). staticPodURLHeader
// (--manifest-url-header) usually carries credentials: its values are never shown.
import type { EffectiveSetting, SettingValue } from '../../facts/types.ts';
import type { Check, CheckResult, Evidence } from '../types.ts';
import { describeSource, lookup } from '../setting.ts';
import { flagName, redactedEvidence, redactUrl, RESTART, whereSet } from './helpers.ts';

const SETTING = 'staticPodURL';
const HEADER = 'staticPodURLHeader';

export const staticPodUrl: Check = {
  meta: {
    id: 'kubelet-static-pod-url',
    title: 'The kubelet does not run pods fetched from a URL',
    section: 'kubelet-api',
    severity: 'high',
    cis: [],
    setting: SETTING,
    rationale:
      'The kubelet polls staticPodURL and runs whatever pod manifests it returns, as static pods: no API-server admission (no Pod Security, no policy webhooks), privileged and hostPath pods included, and a pod in a namespace that does not exist is visible only on the node. Whoever controls that URL, its DNS or the path to it (plain HTTP) runs code as root on the node.',
    remediation: 'Remove staticPodURL (and staticPodURLHeader) from the kubelet config file and --manifest-url/--manifest-url-header from its command line; ship static pods as files in staticPodPath instead; restart the kubelet.',
    noFix: 'the pods the kubelet fetches from that URL would stop: moving them into staticPodPath is for their operator to do',
  },
  evaluate: (facts): CheckResult => {
    const l = lookup(facts, SETTING);
    if (!l.ok) return { status: 'unknown', message: `${SETTING} cannot be known: ${l.why}` };
    const url = typeof l.s.value === 'string' ? l.s.value : '';
    if (url === '') return { status: 'pass', message: `no static pod URL; ${describeSource(l.s)}`, evidence: [redactedEvidence(SETTING, l.s, '')] };
    const shown = redactUrl(url);
    const evidence: Evidence[] = [redactedEvidence(SETTING, l.s, shown)];
    const h = lookup(facts, HEADER);
    let headers = '';
    if (h.ok) {
      const names = headerNames(h.s.value);
      if (names.length > 0) {
        headers = `, with header${names.length > 1 ? 's' : ''} ${names.join(', ')} (values not shown)`;
        evidence.push(redactedEvidence(HEADER, h.s, Object.fromEntries(names.map((n) => [n, '<redacted>'])), 'header values are redacted'));
      }
    }
    const plain = /^http:/i.test(url) ? ' over plain HTTP' : '';
    return {
      status: 'fail',
      message: `the kubelet fetches and runs pod manifests from ${shown}${plain}${headers}, bypassing API-server admission; ${describeSource(redactSource(l.s))}`,
      evidence,
      remediation: removal(l.s, h.ok ? h.s : undefined),
    };
  },
};

function headerNames(v: SettingValue): string[] {
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.keys(v);
  if (typeof v === 'string' && v !== '') return v.split(',').map((kv) => kv.split(':')[0]!.trim()).filter((k) => k !== '');
  return [];
}

/** The setting with any flag text that could carry credentials cut from its provenance. */
function redactSource(s: EffectiveSetting): EffectiveSetting {
  return s.source.detail ? { ...s, source: { ...s.source, detail: `${flagName(s.source.detail)}=…` } } : s;
}

function removal(url: EffectiveSetting, header?: EffectiveSetting): string {
  const one = (s: EffectiveSetting, what: string) =>
    s.source.kind === 'flag' ? `${whereSet(s.source)}: remove the ${what} flag` : s.source.file ? `${whereSet(s.source)}: remove the ${what} line` : '';
  const parts = [one(url, url.source.kind === 'flag' ? '--manifest-url' : SETTING)];
  if (header && headerNames(header.value).length > 0) parts.push(one(header, header.source.kind === 'flag' ? '--manifest-url-header' : HEADER));
  return `${parts.filter((p) => p !== '').join('; ')}; put static pods in staticPodPath as files instead; ${RESTART}`;
}
