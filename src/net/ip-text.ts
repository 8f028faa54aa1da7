// IP addresses as text, one way for the whole tool: the scan's targets and the node's listeners
// print the same address the same way (RFC 5952 for IPv6).

/** An IPv4 address held as a 32-bit unsigned number, dotted. */
export function formatIPv4(n: number): string {
  return `${Math.floor(n / 16777216)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** RFC 5952: lower case, the longest run of two or more zero groups as `::`, IPv4-mapped dotted. */
export function formatIPv6(n: bigint): string {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  if (n >> 32n === 0xffffn) return `::ffff:${formatIPv4(Number(n & 0xffffffffn))}`;
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  return best < 0 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

/** 16 bytes in network order as the 128-bit number formatIPv6 takes. */
export function ipv6FromBytes(b: readonly number[]): bigint {
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x & 0xff);
  return n;
}
