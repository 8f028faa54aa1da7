// JUnit XML validated by Debian's xmllint (libxml2-utils; .ci/run installs it) against the JUnit
// schema in the repository (schemas/junit.xsd). Where xmllint is missing the caller skips and says so.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

export const JUNIT_XSD = path.join(import.meta.dirname, '../../schemas/junit.xsd');

const hasXmllint = (): boolean => spawnSync('xmllint', ['--version']).status === 0;

/** xmllint's verdict on `xml`: '' when valid, its errors otherwise; skip where it is not installed. */
export function xmllintJunit(xml: string): { skip: string } | { errors: string } {
  if (!hasXmllint()) return { skip: 'xmllint is not installed (Debian package libxml2-utils)' };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-junit-'));
  try {
    const file = path.join(dir, 'report.xml');
    fs.writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', JUNIT_XSD, file], { encoding: 'utf8' });
    return { errors: r.status === 0 ? '' : `${r.stderr}`.slice(0, 4000) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An XPath string value of `xml`, as xmllint reads it (the parsed, unescaped text). */
export function xpathString(xml: string, expr: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-junit-'));
  try {
    const file = path.join(dir, 'report.xml');
    fs.writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--nonet', '--xpath', `string(${expr})`, file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.replace(/\n$/, ''); // xmllint ends its answer with a newline
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Asserts `xml` is valid JUnit per schemas/junit.xsd, or skips the test with the reason. */
export function assertJunit(t: { skip: (m: string) => void }, xml: string): void {
  const r = xmllintJunit(xml);
  if ('skip' in r) return t.skip(r.skip);
  if (r.errors) throw new Error(`JUnit XML does not validate against schemas/junit.xsd:\n${r.errors}`);
}
