// The cluster command's kubeconfig, read as kubectl reads it and handed to @kubernetes/client-node
// as data. The library would read the file itself (readFileSync: no type check, so a FIFO with no
// writer or /dev/zero hangs the process and a device is opened) and decode it with js-yaml, whose
// merge keys differ from go-yaml's (js-yaml keeps a key written before `<<`; go-yaml, which
// clientcmd decodes with through sigs.k8s.io/yaml, lets the merged value overwrite it). Here each
// file is read with readLocalFile (stat first, size-capped), decoded with decodeK8sYaml, and the
// files it names (certificate-authority, client-certificate, client-key, tokenFile) are read the
// same way and inlined as their *-data / token fields, so the library opens none of them.
import path from 'node:path';
import { readLocalFile, statLocalFile } from '../sources/local-file.ts';
import { decodeK8sYaml, toPlain } from '../sources/k8s-yaml.ts';
import { reasonOf } from '../sources/errno.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function fail(file: string, msg: string, cause?: unknown): Error {
  return new Error(`kubeconfig ${file}: ${msg}`, cause ? { cause } : undefined);
}

/** a file read for the kubeconfig `file`: `what` names the field that names it (none for the kubeconfig itself) */
function readChecked(file: string, what: string | undefined, p: string): string {
  try {
    return readLocalFile(p);
  } catch (e) {
    const why = reasonOf(e);
    throw fail(file, what ? `${what} ${p}: ${why}` : why, e);
  }
}

/**
 * One kubeconfig file as a plain object (clientcmd's v1 Config as JSON) with the files it names
 * read and inlined. Throws an Error naming the file, and the line for bad YAML; a message never
 * quotes the file's text (the first line of the YAML parser's message only, which names no value).
 */
export function readKubeconfig(file: string): Obj {
  const text = readChecked(file, undefined, file);
  const decoded = decodeK8sYaml(text);
  if (decoded.status !== 'ok') {
    const at = decoded.problem.line ? `line ${decoded.problem.line}: ` : '';
    const msg = decoded.problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw fail(file, `${decoded.status === 'refused' ? 'not valid YAML' : 'too large to read'} (${at}${msg})`);
  }
  const doc = toPlain(decoded.root);
  // an empty file is an empty config to clientcmd (LoadFromFile of zero bytes)
  if (doc === null) return {};
  if (!isObj(doc)) throw fail(file, `expected a kubeconfig (a mapping with clusters, users and contexts), found ${Array.isArray(doc) ? 'a list' : `a ${typeof doc}`}`);
  // relative paths are relative to the kubeconfig's folder (clientcmd ResolveLocalPaths)
  const dir = path.dirname(file);
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.join(dir, p));
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const list = (k: string): Obj[] => (Array.isArray(doc[k]) ? (doc[k] as unknown[]).filter(isObj) : []);
  for (const [i, c] of list('clusters').entries()) {
    const cluster = c['cluster'];
    if (!isObj(cluster)) continue;
    const caFile = nonEmpty(cluster['certificate-authority']);
    delete cluster['certificate-authority'];
    // inline data wins over a file, as client-go's dataFromSliceOrFile has it
    if (caFile && !nonEmpty(cluster['certificate-authority-data'])) {
      cluster['certificate-authority-data'] = b64(readChecked(file, `clusters[${i}] certificate-authority`, abs(caFile)));
    }
  }
  for (const [i, u] of list('users').entries()) {
    const user = u['user'];
    if (!isObj(user)) continue;
    for (const [fileKey, dataKey] of [['client-certificate', 'client-certificate-data'], ['client-key', 'client-key-data']] as const) {
      const f = nonEmpty(user[fileKey]);
      delete user[fileKey];
      if (f && !nonEmpty(user[dataKey])) user[dataKey] = b64(readChecked(file, `users[${i}] ${fileKey}`, abs(f)));
    }
    // clientcmd's field is tokenFile; the library reads token-file (at load): both are read here
    const tokenFile = nonEmpty(user['tokenFile']) ?? nonEmpty(user['token-file']);
    delete user['tokenFile'];
    delete user['token-file'];
    // a token written inline wins over a token file (clientcmd v1 AuthInfo, and the library)
    if (tokenFile && !nonEmpty(user['token'])) user['token'] = readChecked(file, `users[${i}] tokenFile`, abs(tokenFile)).trim();
  }
  return doc;
}

/**
 * The files the library itself still reads (the in-cluster service account's token, CA and
 * namespace; nothing from a kubeconfig, whose files are inlined): a regular file of a sane size,
 * or absent (the library says so). Called before every library call that reads them.
 */
export function checkLibraryFiles(paths: Iterable<string | null | undefined>): void {
  for (const p of paths) {
    if (!p) continue;
    try {
      statLocalFile(p, undefined, { fifo: false });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(`${p}: ${reasonOf(e)}`, { cause: e });
    }
  }
}
