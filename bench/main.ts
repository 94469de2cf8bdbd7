/**
 * `npm run bench [-- <scenario> …]`: runs the benchmark scenarios and prints
 * one JSON line per result. Figures, never assertions.
 */
import { logScenario } from './log.js';

const SCENARIOS: Record<string, () => Promise<void>> = {
  log: logScenario,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of wanted) {
  if (!SCENARIOS[name]) {
    process.stderr.write(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}\n`);
    process.exit(2);
  }
}
for (const name of wanted.length ? wanted : Object.keys(SCENARIOS)) await SCENARIOS[name]!();
process.exit(0);
