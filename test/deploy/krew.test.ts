// plugins/krew/kubelet-guard.yaml and scripts/krew-release.js: the release fills every sha256
// placeholder from the archive it packs, and the result passes krew's own manifest validation
// (the rules of sigs.k8s.io/krew internal/index/validation/validate.go, restated below).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import pkg from '../../package.json' with { type: 'json' };

const TEMPLATE = 'plugins/krew/kubelet-guard.yaml';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kg-krew-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/* eslint-disable @typescript-eslint/no-explicit-any -- the manifest is walked as plain YAML */
type Any = any;

/** krew's validation of a plugin manifest (ValidatePlugin, validatePlatform, validateSelector); the first problem, or undefined. */
function krewProblem(name: string, p: Any): string | undefined {
  if (p.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2') return `apiVersion ${p.apiVersion}`;
  if (p.kind !== 'Plugin') return `kind ${p.kind}`;
  if (!/^[\w-]+$/.test(name)) return `unsafe name ${name}`;
  if (p.metadata?.name !== name) return `named ${p.metadata?.name}, not ${name}`;
  const s = p.spec ?? {};
  if (!s.shortDescription) return 'no shortDescription';
  if (/[\r\n]/.test(s.shortDescription)) return 'line break in shortDescription';
  if (!Array.isArray(s.platforms) || s.platforms.length === 0) return 'no platform';
  // krew's semver.Parse: a leading v, then semver 2.0
  if (!/^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.test(String(s.version))) return `version ${s.version}`;
  for (const pl of s.platforms) {
    if (!pl.uri) return 'platform without uri';
    if (!/^[a-f0-9]{64}$/.test(String(pl.sha256))) return `sha256 ${pl.sha256}`;
    if (!pl.bin) return 'platform without bin';
    if (pl.files !== undefined && (!Array.isArray(pl.files) || pl.files.length === 0 || pl.files.some((f: Any) => !f.from || !f.to))) return 'bad files';
    const sel = pl.selector;
    if (!sel || (!sel.matchLabels && !sel.matchExpressions?.length)) return 'empty selector';
    const keys = [...Object.keys(sel.matchLabels ?? {}), ...(sel.matchExpressions ?? []).map((e: Any) => e.key)];
    if (keys.some((k) => k !== 'os' && k !== 'arch')) return `selector key ${keys.join(',')}`;
  }
  return undefined;
}

/** The fields of krew's index.Plugin type (pkg/index/types.go): a misspelt one (`selectors`) is not silently ignored here. */
function unknownKeys(p: Any): string[] {
  const extra = (o: Any, allowed: string[], where: string) => Object.keys(o ?? {}).filter((k) => !allowed.includes(k)).map((k) => `${where}.${k}`);
  return [
    ...extra(p, ['apiVersion', 'kind', 'metadata', 'spec'], ''),
    ...extra(p.metadata, ['name'], 'metadata'),
    ...extra(p.spec, ['version', 'shortDescription', 'description', 'caveats', 'homepage', 'platforms'], 'spec'),
    ...(p.spec?.platforms ?? []).flatMap((pl: Any, i: number) => [
      ...extra(pl, ['selector', 'uri', 'sha256', 'files', 'bin'], `platforms[${i}]`),
      ...extra(pl.selector, ['matchLabels', 'matchExpressions'], `platforms[${i}].selector`),
    ]),
  ];
}

function release(...args: string[]) {
  return spawnSync(process.execPath, ['scripts/krew-release.js', ...args], { encoding: 'utf8' });
}

/** Stand-ins for the single executables (the release only packs them). */
function fakeExecutables(): string[] {
  const args: string[] = [];
  for (const arch of ['amd64', 'arm64']) {
    const f = path.join(tmp, `exe-${arch}`);
    fs.writeFileSync(f, `#!/bin/sh\necho kubelet-guard ${arch}\n`, { mode: 0o755 });
    args.push('--exe', `linux/${arch}=${f}`);
  }
  return args;
}

test("the template: the package's version, and a placeholder for each platform's archive", () => {
  const p = parse(fs.readFileSync(TEMPLATE, 'utf8')) as Any;
  assert.deepEqual(unknownKeys(p), []);
  assert.equal(p.spec.version, `v${pkg.version}`);
  for (const pl of p.spec.platforms) {
    const archive = path.basename(new URL(pl.uri).pathname);
    assert.ok(archive.includes(`v${pkg.version}`), pl.uri);
    assert.equal(pl.sha256, `{{sha256 ${archive}}}`);
    assert.ok(!pl.bin.includes('/'), pl.bin);
  }
  // until the release fills it, krew would refuse it: a placeholder is never mistaken for a sum
  assert.match(krewProblem('kubelet-guard', p) ?? '', /^sha256 /);
});

test('the release: archives holding the executable, a manifest krew accepts with their SHA-256, the same on a rebuild', () => {
  const exes = fakeExecutables();
  const out = path.join(tmp, 'out');
  const r = release(...exes, '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const text = fs.readFileSync(path.join(out, 'kubelet-guard.yaml'), 'utf8');
  assert.doesNotMatch(text, /\{\{/);
  const p = parse(text) as Any;
  assert.equal(krewProblem('kubelet-guard', p), undefined);
  assert.deepEqual(unknownKeys(p), []);
  for (const pl of p.spec.platforms) {
    const archive = path.join(out, path.basename(new URL(pl.uri).pathname));
    assert.equal(pl.sha256, createHash('sha256').update(fs.readFileSync(archive)).digest('hex'));
    // the real tar reads it: the executable under the name `bin` gives, executable, as built
    const x = path.join(tmp, `x-${pl.selector.matchLabels.arch}`);
    fs.mkdirSync(x);
    const t = spawnSync('tar', ['-xzf', archive, '-C', x], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    const bin = path.join(x, pl.bin);
    assert.ok(fs.statSync(bin).mode & 0o100);
    assert.equal(fs.readFileSync(bin, 'utf8'), `#!/bin/sh\necho kubelet-guard ${pl.selector.matchLabels.arch}\n`);
  }
  const again = path.join(tmp, 'again');
  assert.equal(release(...exes, '--out', again).status, 0);
  assert.equal(fs.readFileSync(path.join(again, 'kubelet-guard.yaml'), 'utf8'), text, 'reproducible archives');
});

test('a platform without its executable stops the release: no manifest with a placeholder or a wrong sum', () => {
  const out = path.join(tmp, 'partial');
  const r = release('--exe', `linux/amd64=${fakeExecutables()[1]!.split('=')[1]}`, '--exe', `linux/arm64=${path.join(tmp, 'missing')}`, '--out', out);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no single executable for linux\/arm64/);
  assert.ok(!fs.existsSync(path.join(out, 'kubelet-guard.yaml')));
});
