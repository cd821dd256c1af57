/** `npm run demo-data [-- DIR] [--seed N] [--customers N]`: write the seeded demo files and truth.json. */
import path from 'node:path';
import { writeDemoFiles } from '../main/demo/build';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const dir = path.resolve(argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--')) ?? 'demo-data');
const { files, truth } = writeDemoFiles(dir, opt('--seed', 42), opt('--customers', 2000));
for (const f of files) console.log(`${f.name}\t${f.size} bytes`);
console.log(`truth.json\t${truth.duplicateGroups.length} duplicate groups, ${truth.ordersRows} orders, ${truth.smsSends} SMS sends → ${dir}`);
