// `npm run test:mutation:table [-- --survivors] [FILE...]`: the per-file scores of the last mutation
// runs (reports/mutation/mutation.json, which keeps every file mutated so far), as a Markdown table;
// with --survivors, each surviving or uncovered mutant with its line, so it can be tested or marked.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const survivors = args.includes('--survivors');
const only = args.filter((arg) => !arg.startsWith('--'));
const report = JSON.parse(readFileSync('reports/mutation/mutation.json', 'utf8'));

const detected = new Set(['Killed', 'Timeout']);
const undetected = new Set(['Survived', 'NoCoverage']);
const rows = [];
for (const [file, { mutants, source }] of Object.entries(report.files).sort(([a], [b]) =>
  a.localeCompare(b),
)) {
  if (only.length && !only.some((wanted) => file.includes(wanted))) continue;
  const count = (statuses) => mutants.filter((mutant) => statuses.has(mutant.status)).length;
  const killed = count(detected);
  const missed = count(undetected);
  const ignored = count(new Set(['Ignored']));
  const score = killed + missed === 0 ? 'n/a' : `${((100 * killed) / (killed + missed)).toFixed(2)}%`;
  rows.push(`| ${file} | ${score} | ${killed} | ${missed} | ${ignored} |`);
  if (!survivors) continue;
  const lines = source.split('\n');
  for (const mutant of mutants.filter((m) => undetected.has(m.status))) {
    const at = mutant.location.start;
    console.log(
      `${file}:${at.line}:${at.column} ${mutant.status} ${mutant.mutatorName} -> ${JSON.stringify(mutant.replacement ?? '')}`,
    );
    console.log(`    ${lines[at.line - 1]?.trim()}`);
  }
}
console.log('\n| file | score | killed | missed | marked equivalent |\n|---|---|---|---|---|');
for (const row of rows) console.log(row);
