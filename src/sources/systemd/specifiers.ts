// Unit specifiers (%%, %n, …): which are known, which are left unresolved. Follows systemd/systemd
// (main branch as of 2025):
//   src/shared/specifier.c specifier_printf: %% and unknown specifiers

// ---------------------------------------------------------------------------------------------
// Specifiers (specifier.c specifier_printf; the table of unit-printf.c unit_full_printf).

const KNOWN_SPECIFIERS = 'aAbBcCdDEfgGhHiIjJlLmMnNopPqrRsStTuUvVwWyY';

/**
 * The specifiers a unit's own name decides (unit-printf.c: %n the unit name, %N it without the type
 * suffix, %p its prefix, %i its instance, "" for a unit that is no template instance).
 */
function nameSpecifiers(unitName: string): Record<string, string> {
  const dot = unitName.lastIndexOf('.');
  const noSuffix = dot > 0 ? unitName.slice(0, dot) : unitName;
  const at = noSuffix.indexOf('@');
  return { n: unitName, N: noSuffix, p: at >= 0 ? noSuffix.slice(0, at) : noSuffix, i: at >= 0 ? noSuffix.slice(at + 1) : '' };
}

export function resolveSpecifiers(s: string, unitName?: string): { text: string; unresolved: string[]; unknown: string[] } {
  if (!s.includes('%')) return { text: s, unresolved: [], unknown: [] };
  const byName = unitName ? nameSpecifiers(unitName) : {};
  let out = '';
  const unresolved: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c !== '%') {
      out += c;
      continue;
    }
    const d = s[i + 1];
    if (d === undefined) {
      out += '%'; // a stray % at the end stays
      break;
    }
    i++;
    if (d === '%') out += '%';
    else if (d in byName) out += byName[d];
    else if (KNOWN_SPECIFIERS.includes(d)) {
      out += '%' + d; // not resolved here: needs the running system (host name, machine id, …)
      unresolved.push('%' + d);
    } else if (/^[A-Za-z0-9]$/.test(d)) {
      out += '%' + d; // systemd fails with EBADSLT
      unknown.push('%' + d);
    } else out += '%' + d;
  }
  return { text: out, unresolved, unknown };
}
