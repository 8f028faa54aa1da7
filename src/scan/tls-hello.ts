// Whether a TLS server accepts one cipher suite, told from its first answer to a hand-made TLS 1.2
// ClientHello that offers that suite alone: a ServerHello choosing it means accepted; an alert, a
// ServerHello choosing anything else, a reset or a close means refused. Nothing more is sent, no
// handshake is completed, no key is made. This tells the suites the runtime's OpenSSL can no longer
// offer (3DES and RC4 are gone from OpenSSL 3's default provider), as testssl.sh does with its own
// sockets, so "accepts only strong suites" never rests on suites that were not tried.
import net from 'node:net';
import { randomBytes } from 'node:crypto';

export type SuiteAnswer = { accepted: boolean; ms: number } | { accepted: undefined; why: string; ms: number };

/** The first bytes of an answer kept at most: a ServerHello record is far smaller. */
const MAX_ANSWER = 16 * 1024;

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const withLen16 = (b: Buffer) => Buffer.concat([u16(b.length), b]);
const ext = (type: number, body: Buffer) => Buffer.concat([u16(type), withLen16(body)]);

/** A TLS 1.2 ClientHello offering `suite` alone (plus the renegotiation SCSV, as clients do). */
export function clientHello(suite: number): Buffer {
  const extensions = Buffer.concat([
    ext(0x000a, withLen16(Buffer.concat([0x001d, 0x0017, 0x0018, 0x0019].map(u16)))), // supported_groups: x25519, P-256, P-384, P-521
    ext(0x000b, Buffer.from([1, 0])), // ec_point_formats: uncompressed
    // signature_algorithms: RSA/ECDSA with SHA-256/384/512, RSA-PSS, and SHA-1 for old servers
    ext(0x000d, withLen16(Buffer.concat([0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0201, 0x0203].map(u16)))),
  ]);
  const body = Buffer.concat([
    u16(0x0303), // TLS 1.2
    randomBytes(32),
    Buffer.from([0]), // no session id
    withLen16(Buffer.concat([u16(suite), u16(0x00ff)])),
    Buffer.from([1, 0]), // compression: null
    withLen16(extensions),
  ]);
  const handshake = Buffer.concat([Buffer.from([1, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([0x16, 0x03, 0x01]), withLen16(handshake)]);
}

/** What the first record says: accepted (the ServerHello chose `suite`), refused, or not yet complete / not TLS. */
export function readAnswer(data: Buffer, suite: number): boolean | 'more' | 'not-tls' {
  if (data.length < 5) return 'more';
  const type = data[0]!;
  if (type === 0x15) return false; // alert
  if (type !== 0x16 || data[1] !== 0x03) return 'not-tls';
  const len = data.readUInt16BE(3);
  if (data.length < 5 + Math.min(len, 4 + 2 + 32 + 1 + 32 + 2)) return 'more';
  const hs = data.subarray(5);
  if (hs[0] !== 2) return 'not-tls'; // the first handshake message must be the ServerHello
  const sidLen = hs[4 + 2 + 32];
  if (sidLen === undefined || sidLen > 32) return 'not-tls';
  const at = 4 + 2 + 32 + 1 + sidLen;
  if (hs.length < at + 2) return 'more';
  return hs.readUInt16BE(at) === suite;
}

export function offerSuite(host: string, port: number, suite: number, timeouts: { connect: number; tls: number }): Promise<SuiteAnswer> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const ms = () => Math.round(performance.now() - t0);
    let got = Buffer.alloc(0);
    let settled = false;
    const sock = net.connect({ host, port });
    const done = (a: SuiteAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.on('error', () => {});
      sock.destroy();
      resolve(a);
    };
    let timer = setTimeout(() => done({ accepted: undefined, why: `no TCP connection within ${timeouts.connect} ms`, ms: ms() }), timeouts.connect);
    sock.on('error', (e: NodeJS.ErrnoException) => {
      // a reset is no refusal by the TLS server: a middlebox that drops what it does not know resets too
      done({ accepted: undefined, why: e.code === 'ECONNRESET' && got.length === 0 ? 'the connection was reset without a TLS alert' : (e.code ?? e.message), ms: ms() });
    });
    sock.once('connect', () => {
      clearTimeout(timer);
      timer = setTimeout(() => done({ accepted: undefined, why: `no answer to the ClientHello within ${timeouts.tls} ms`, ms: ms() }), timeouts.tls);
      sock.write(clientHello(suite));
    });
    sock.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]).subarray(0, MAX_ANSWER);
      const r = readAnswer(got, suite);
      if (r === 'more' && got.length < MAX_ANSWER) return;
      if (r === 'more' || r === 'not-tls') done({ accepted: undefined, why: 'the answer is not a TLS ServerHello or alert', ms: ms() });
      else done({ accepted: r, ms: ms() });
    });
    // only an alert or a ServerHello is the server's word; a silent close is not a refusal
    sock.on('end', () => done({ accepted: undefined, why: got.length === 0 ? 'closed without a TLS alert' : 'closed mid-answer', ms: ms() }));
  });
}
