import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Secrets } from './secrets.ts';
import { createOutput } from './output.ts';
import { quoteCommandLine, quoteSecret, redactText } from '../facts/redact.ts';

test('a registered credential is masked raw, JSON-escaped, terminal-escaped and URL-encoded', () => {
  const s = new Secrets();
  s.add('tok"en\\with\x1bodd/chars?');
  const raw = 'tok"en\\with\x1bodd/chars?';
  for (const text of [raw, JSON.stringify(raw), 'tok"en\\with\\x1bodd/chars?', encodeURIComponent(raw)]) {
    const out = s.redact(`before ${text} after`);
    assert.ok(!out.includes('with'), out);
    assert.match(out, /^before .*<redacted>.* after$/);
  }
});

test('a cut-off beginning of a credential (a truncated preview) is masked; a shorter coincidence is not', () => {
  const s = new Secrets();
  s.add('Zq8xWm2KpL4vNt7RyY');
  assert.equal(s.redact('body: Zq8xWm2KpL4…'), 'body: <redacted>…');
  assert.equal(s.redact('body: Zq8xWm2'), 'body: Zq8xWm2');
});

test('credentials found in evidence are masked only when long enough: a node cannot hide words of the report', () => {
  const s = new Secrets();
  s.addFound('FAIL');
  s.addFound('critical');
  s.addFound('kubelet-anonymous-auth');
  s.addFound('Sx9kQ2mZ7pT4');
  assert.equal(s.redact('FAIL critical kubelet-anonymous-auth Sx9kQ2mZ7pT4 Sx9kQ2mZ'), 'FAIL critical kubelet-anonymous-auth <redacted> Sx9kQ2mZ', 'no word of the report, and no cut-off beginning');
  const given = new Secrets();
  given.add('abc');
  assert.equal(given.redact('abc'), 'abc', 'under 4 characters a value is no credential worth masking');
});

test('property: redacting JSON text keeps it valid JSON, with no credential left', () => {
  const unit = fc.constantFrom(...'ab9Z"\\/\n\t\x1b\u202e\x9b é-_.:@?=&'.split(''));
  const secretArb = fc.string({ unit, minLength: 6, maxLength: 20 }).filter((x) => x.trim().length >= 6);
  fc.assert(
    fc.property(secretArb, fc.array(fc.string({ unit }), { maxLength: 4 }), fc.string({ unit, maxLength: 30 }), (secret, around, cut) => {
      const s = new Secrets();
      s.add(secret);
      const doc = { a: around.join(secret), b: [`${cut}${secret}`, `${secret.slice(0, 10)}`], [`k${secret}`]: `https://${secret}@h/p?t=${secret}`, c: `--x-token=${secret} Bearer ${secret}` };
      const text = s.redact(JSON.stringify(doc, null, 2));
      const back = JSON.parse(text) as unknown;
      assert.ok(!JSON.stringify(back).includes(JSON.stringify(secret).slice(1, -1)));
    }),
    { numRuns: 3000 },
  );
});

test('a mask never eats a JSON string\'s quote nor splits an escape (the property\'s counterexamples)', () => {
  for (const [secret, value] of [['aaaaaaaaaa"', 'aaaaaaaaaa'], ['"aaaaaaaaa"', '"aaaaaaaaa'], ['b\x1baaaaaa', '\x1b\x1ba']] as const) {
    const s = new Secrets();
    s.add(secret);
    const text = s.redact(JSON.stringify({ whole: secret, cut: value }));
    assert.equal((JSON.parse(text) as { whole: string }).whole, '<redacted>', text);
  }
});

test('the text rules: URL user-info whole, query values, secret flag values, auth headers, JWTs, keys, quoted env text', () => {
  assert.equal(redactText('GET https://TOKEN123@10.0.0.5/pods failed'), 'GET https://<redacted>@10.0.0.5/pods failed');
  assert.equal(redactText('proxy http://u:p4ss@127.0.0.1:3128 refused'), 'proxy http://<redacted>@127.0.0.1:3128 refused');
  assert.equal(redactText('"https://h.example/pods?token=abc&x=1#f"'), '"https://h.example/pods?token=redacted&x=redacted#f"');
  assert.equal(redactText('--manifest-url-header=Authorization:Bearer,x --db-password=hunter2 --token-auth-file=/etc/t'), '--manifest-url-header=<redacted>,x --db-password=<redacted> --token-auth-file=/etc/t');
  assert.equal(redactText('Authorization: Bearer abcdefgh12345678 and Basic dXNlcjpwYXNz'), 'Authorization: Bearer <redacted> and Basic <redacted>');
  assert.equal(redactText('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'), '<redacted>');
  assert.equal(redactText('"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEE\\n-----END EC PRIVATE KEY-----"'), '"<redacted>"');
  assert.equal(redactText('"-----BEGIN PRIVATE KEY-----\\nMHcCAQEE", "next"'), '"<redacted>", "next"');
  assert.equal(redactText(`ignored: ${quoteSecret('API_TOKEN=s3cr3t')}; ${quoteSecret('s3cr3t-line')}`), 'ignored: API_TOKEN=<redacted>; <redacted>');
  assert.equal(redactText('stray \uE000 mark'), 'stray \\ue000 mark');
  const line = quoteCommandLine('/usr/bin/kubelet --manifest-url-header X-Tok:TOKEN123 --v 2 --db-password=pw123456 "oops');
  assert.equal(redactText(`unbalanced quoting, ExecStart= line ignored: ${line}`), 'unbalanced quoting, ExecStart= line ignored: /usr/bin/kubelet --manifest-url-header <redacted> --v 2 --db-password=<redacted> "oops');
  assert.deepEqual(JSON.parse(redactText(JSON.stringify({ m: line }))), { m: '/usr/bin/kubelet --manifest-url-header <redacted> --v 2 --db-password=<redacted> "oops' });
  // the tool's own words stay
  for (const own of ['--token is empty', 'give one identity: --token, --token-file', 'bearer token (sha256 0a1b2c3d…)', 'Bearer token', 'the kubelet on https://10.0.0.1:10250/pods', 'verb=get resource=nodes']) assert.equal(redactText(own), own);
  // idempotent
  const once = redactText('https://a:b@h/?q=1 --x-token=v Bearer abcdefghijkl');
  assert.equal(redactText(once), once);
});

test('createOutput: one registry per invocation, writes pass through synchronously with backpressure and TTY facts kept', () => {
  const written: string[] = [];
  const out = { write: (s: string) => (written.push(s), false), isTTY: true, columns: 99 };
  const a = createOutput({ out, err: out });
  const b = createOutput({ out, err: out });
  a.secrets.add('only-in-a-1234');
  assert.equal(a.out.write('x only-in-a-1234 \x9b\u2028'), false);
  b.out.write('only-in-a-1234');
  assert.deepEqual(written, ['x <redacted> \\u009b\\u2028', 'only-in-a-1234']);
  assert.equal(a.out.isTTY, true);
  assert.equal(a.err.columns, 99);
  assert.equal(createOutput(a), a, 'wrapping twice is a no-op');
});

test('linear time: megabytes of hostile text (runs that would make a naive rule rescan) are redacted and made inert at once', async () => {
  const { inert } = await import('./terminal.ts');
  const s = new Secrets();
  s.add('aaaaaaaaaaaaaaaaZ');
  const units = ['-a', 'a://', 'eyJ-', '-----BEGIN PRIVATE KEY-----', '\uE000', 'a://b?', '-a-token=', 'a.', 'Bearer  ', 'a', '\\', '\x1b'];
  const started = performance.now();
  for (const u of units) inert(s.redact(u.repeat(Math.ceil(1_000_000 / u.length)) + ' = "'));
  const ms = performance.now() - started;
  // about 0.5 s on a slow machine; a quadratic rule takes minutes
  assert.ok(ms < 10_000, `${Math.round(ms)} ms`);
});

test("V8's JSON.parse error snippet (a hostile answer's content) is not shown; the error is", () => {
  let msg = '';
  try {
    JSON.parse('{"env": SuperSecretValue1 }');
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.match(msg, /SuperSecre/, 'V8 quotes the input');
  const plain = redactText(`the /pods answer is not JSON: ${msg}`);
  assert.equal(plain, "the /pods answer is not JSON: Unexpected token 'S', <redacted> is not valid JSON");
  const json = redactText(JSON.stringify({ message: `not JSON: ${msg}` }));
  assert.deepEqual(JSON.parse(json), { message: "not JSON: Unexpected token 'S', <redacted> is not valid JSON" });
});

test('secrets found in evidence are bounded in number: a node declaring 20,000 cannot make every write 20,000 passes', () => {
  const s = new Secrets();
  for (let i = 0; i < 1500; i++) s.addFound(`tok${String(i).padStart(6, '0')}abcdefgh`);
  assert.equal(s.redact('tok000000abcdefgh tok000999abcdefgh'), '<redacted> <redacted>');
  assert.equal(s.redact('tok001000abcdefgh'), 'tok001000abcdefgh', 'past the bound, only the structural redaction of its field applies');
  s.add('given-credential-1234');
  assert.equal(s.redact('given-credential-1234'), '<redacted>', 'credentials the user gave are never bounded');
});
