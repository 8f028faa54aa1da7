// Connects as the CLI would and counts the nodes the API server lists: the connection tests' probe.
import { connect } from '../../src/cluster/fetch.ts';

export async function nodesVia(opts: Parameters<typeof connect>[0]): Promise<number> {
  const api = await connect(opts);
  try {
    let n = 0;
    for await (const _ of api.list('/api/v1/nodes')) n++;
    return n;
  } finally {
    api.close();
  }
}
