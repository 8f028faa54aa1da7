// Preloaded into a measured child (test/support/measured.ts): writes the process's peak RSS (KiB,
// getrusage maxRSS) to $KG_MAX_RSS_FILE when it exits.
import fs from 'node:fs';

const file = process.env.KG_MAX_RSS_FILE;
if (file) process.on('exit', () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
