// Manifests the kubelet cannot use (kubelet-facts §7; pkg/kubelet/config/file.go extractFromDir):
// a file it cannot decode as one v1 Pod — invalid YAML or JSON, another kind, a PodList, a pod that
// fails validation — is logged ("Could not process manifest file") and nothing from it runs; the
// YAML documents after the first are never read (yaml.v2 decodes the first only); and two files
// naming the same pod run only one of them (the kubelet keys pods by namespace/name and, on each
// re-read of the folder, the file later in name order replaces the earlier: cache.Store.Replace).
// Files the kubelet never reads (dot files, sub-folders) are listed as not-applicable, so a
// "kube-apiserver.yaml.bak" (read!) is not confused with ".kube-apiserver.yaml" (not read).
import type { ManifestFact } from '../../facts/types.ts';
import type { Check, CheckResult } from '../types.ts';
import { APPLIES, at, folderScope } from './common.ts';

export const staticPodManifestDecodes: Check = {
  meta: {
    id: 'static-pod-manifest-decodes',
    title: 'Every file the kubelet reads in the static pod folder decodes as one pod, and no two name the same pod',
    section: 'static-pods',
    severity: 'medium',
    cis: [],
    rationale:
      'The kubelet reads every file in its static pod folder whose name does not start with ".". A file it cannot decode as one v1 Pod runs nothing and only shows in the kubelet\'s log; a second YAML document in a file is silently ignored; two files with the same pod name run only one of them, so a stale backup (kube-apiserver.yaml.bak) can replace the real control-plane pod. What the audit believes runs must be what the kubelet runs.',
    remediation: 'Fix the manifest at the line given, keep one Pod per file, and move backups out of the static pod folder.',
  },
  evaluate(facts) {
    const f = folderScope(facts);
    if (f.kind === 'done') return f.results;
    const { sp } = f;
    const out: CheckResult[] = [];
    const seen = new Map<string, ManifestFact>();
    for (const m of sp.manifests as ManifestFact[]) {
      if (m.ignored) {
        out.push({ status: 'not-applicable', subject: m.path, message: `${m.path}: the kubelet never reads it: ${m.ignored}` });
        continue;
      }
      if (m.unreadable) {
        out.push({ status: 'unknown', subject: m.path, message: `${m.path}: ${m.unreadable}; whether the kubelet can decode it is not known`, evidence: [{ file: m.path, note: m.unreadable }] });
        continue;
      }
      if (m.error !== undefined) {
        out.push({
          status: 'fail',
          subject: m.path,
          message: `the kubelet cannot decode ${m.path}${m.line ? ` (line ${m.line})` : ''}: ${m.error}. It logs "Could not process manifest file" and runs nothing from this file`,
          evidence: [{ file: m.path, ...(m.line ? { line: m.line } : {}), note: m.error }],
          remediation: `${at(m.path, m.line)}: fix the manifest (${m.error}) so that the file is one valid v1 Pod, or move the file out of ${sp.path}; ${APPLIES}.`,
        });
        continue;
      }
      const names = m.pods.map((p) => `${p.namespace || 'default'}/${p.name}`);
      if (m.extraDocuments) {
        out.push({
          status: 'fail',
          severity: 'low',
          subject: m.path,
          message: `${m.path} holds ${m.extraDocuments + 1} YAML documents: the kubelet runs only the first (pod ${names.join(', ')}) and never reads the other ${m.extraDocuments}`,
          evidence: [{ file: m.path, note: `${m.extraDocuments} further document(s) ignored` }],
          remediation: `In ${m.path}: move each further YAML document (after the first "---") into a file of its own in ${sp.path}; ${APPLIES}.`,
        });
      } else {
        out.push({ status: 'pass', subject: m.path, message: `the kubelet decodes ${m.path} as pod ${names.join(', ')}`, evidence: [{ file: m.path, note: `pod ${names.join(', ')}` }] });
      }
      for (const p of m.pods) {
        const key = `${p.namespace || 'default'}/${p.name}`;
        const earlier = seen.get(key);
        if (earlier) {
          out.push({
            status: 'fail',
            subject: `${sp.path}#${key}`,
            message: `${earlier.path} and ${m.path} both define pod ${key}: the kubelet runs only one of them (on each re-read of the folder, ${m.path}, later in name order, replaces the other)`,
            evidence: [
              { file: earlier.path, ...(earlier.pods[0]?.line ? { line: earlier.pods[0].line } : {}), note: `pod ${key}` },
              { file: m.path, ...(p.line ? { line: p.line } : {}), note: `pod ${key}` },
            ],
            remediation: `Move the copy that should not run (a backup?) out of ${sp.path}, or rename its pod (metadata.name); ${APPLIES}.`,
          });
        } else seen.set(key, m);
      }
    }
    if (sp.unknown) out.push({ status: 'unknown', subject: sp.path, message: `not every entry was examined: ${sp.unknown}` });
    if (out.length === 0) out.push({ status: 'not-applicable', subject: sp.path, message: `${sp.path} is empty: the kubelet runs no static pod from it` });
    return out;
  },
};
