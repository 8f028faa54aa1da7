// Non-fatal problems the kubelet tolerates but a reader of the files should know about: unknown or
// duplicate fields (strict decoding falls back to lenient, with a warning: the field is ignored, the
// last duplicate wins), documents after the first (ignored), unit-file problems. Each one means the
// file does not do what it seems to say.
import type { Check, CheckResult } from '../types.ts';
import { evidenceOfDiagnostic, placeOf, where } from './diagnostics.ts';

function fixOf(code: string): string {
  switch (code) {
    case 'config-unknown-field':
      return 'correct the spelling and case of the field, or remove it: the kubelet ignores it';
    case 'config-duplicate-field':
      return 'keep one of the duplicate fields: the kubelet uses the last';
    case 'config-extra-documents':
      return 'move the settings into the first document: the kubelet reads only the first';
    default:
      return 'correct it';
  }
}

export const configWarnings: Check = {
  meta: {
    id: 'kubelet-config-warnings',
    title: "The kubelet's configuration has no ignored or ambiguous lines",
    section: 'kubelet-evidence',
    severity: 'low',
    emits: [
      { severity: 'info', when: 'the diagnostic is informational (a file holding several YAML documents, an unresolved unit specifier)' },
      { severity: 'medium', when: "the diagnostic's own severity: an environment file the kubelet unit reads is invalid, so variables the kubelet may need are missing" },
      { severity: 'high', when: "the diagnostic's own severity: the kubelet refuses a configuration value it reads (it would not start) or the audit hit an internal error" },
    ],
    cis: [],
    rationale:
      'A misspelled field (authentication.anonymous.enable for enabled, readOnlyPorts) is ignored with only a log warning, so a hardening line that looks applied is not; a duplicate field silently takes its last value.',
    remediation: 'Correct or remove the line named in the finding, then restart the kubelet.',
  },
  evaluate(facts) {
    const k = facts.kubelet;
    const warn = k.diagnostics.filter((d) => !d.fatal);
    if (warn.length > 0) {
      return warn.map((d): CheckResult => d.code === 'config-not-analysed' ? {
        // A file too large for the audit hides its warnings: not known, not a failure of the file.
        status: 'unknown',
        subject: placeOf(d),
        message: d.message,
        evidence: evidenceOfDiagnostic(d),
      } : {
        status: 'fail',
        severity: d.severity,
        subject: placeOf(d),
        message: d.message,
        evidence: evidenceOfDiagnostic(d),
        remediation: `${where(d)}: ${fixOf(d.code)}; then restart the kubelet (systemctl daemon-reload && systemctl restart kubelet).`,
      });
    }
    if (k.missing) return { status: 'unknown', message: `no kubelet was found, so there is no configuration to read: ${k.missing}` };
    // A live configz has no files and no command line to warn about: nothing was read, nothing passes.
    if (!k.invocation) return { status: 'unknown', message: 'the kubelet\'s files and command line are not part of the evidence (a live configz), so ignored lines cannot be seen' };
    return { status: 'pass', message: 'no unknown, duplicate or ignored settings in the kubelet evidence' };
  },
};
