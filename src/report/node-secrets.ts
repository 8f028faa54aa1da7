// The credentials a node's evidence holds, handed to the invocation's secrets registry so that the
// output layer masks them wherever they reappear (a stray-argument diagnostic quoting a header
// value, a message quoting a URL). Structural redaction of the report (model.ts) stays; this is
// what catches the copies. The node's kubeconfig tokens and client-key-data are never read into
// facts (sources/certificates.ts), so there is nothing of them to register.
import type { NodeFacts, SettingValue } from '../facts/types.ts';
import { REDACTED, SECRET_ENV_NAME, redactArgv } from '../facts/redact.ts';
import type { Secrets } from './secrets.ts';


function strings(v: SettingValue | undefined): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap((x) => strings(x as SettingValue));
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap((x) => strings(x as SettingValue));
  return [];
}

/** A header value and, for `Scheme credentials`, the credentials alone. */
function headerParts(value: string): string[] {
  const sp = value.indexOf(' ');
  return sp > 0 ? [value, value.slice(sp + 1).trim()] : [value];
}

function urlParts(text: string): string[] {
  try {
    const u = new URL(text);
    const out = [u.username, u.password, decodeURIComponent(u.username), decodeURIComponent(u.password)];
    for (const v of u.searchParams.values()) out.push(v);
    return out;
  } catch {
    return [];
  }
}

/** Every credential in the node's facts, registered as found in evidence. */
export function registerNodeSecrets(facts: NodeFacts, secrets: Secrets): void {
  const eff = facts.kubelet.effective;
  for (const v of strings(eff['staticPodURLHeader']?.value)) for (const p of headerParts(v)) secrets.addFound(p);
  const url = eff['staticPodURL']?.value;
  if (typeof url === 'string') for (const p of urlParts(url)) secrets.addFound(p);
  const inv = facts.kubelet.invocation;
  if (inv) {
    // the words redactArgv would hide: secret flag values, in either form, and stray words after them
    const words = inv.argv.map((a) => a.text);
    const shown = redactArgv(words);
    words.forEach((w, i) => {
      const s = shown[i]!;
      if (s === w) return;
      // `--flag=value`, or the value word itself (after `--flag`, or a stray word)
      const value = w.startsWith('-') && w.includes('=') ? w.slice(w.indexOf('=') + 1) : w;
      if (s === REDACTED || s.endsWith(`=${REDACTED}`)) {
        // a header flag's value is `Name:Value`; the value may be `Scheme credentials`
        for (const p of [value, ...headerParts(value.replace(/^[^:\s]*:/, ''))]) secrets.addFound(p);
      } else for (const p of urlParts(value)) secrets.addFound(p);
    });
    for (const [name, value] of Object.entries(inv.env)) if (SECRET_ENV_NAME.test(name)) secrets.addFound(value);
  }
}
