/** `forensic rules` and `forensic explain RULE`: the rule catalogue. */
import { rules } from '../../rules/index.js';

/** List every rule: id, layer, severity, title. */
export async function cmdRules(argv: string[]): Promise<number> {
  if (argv.includes('--json')) {
    process.stdout.write(
      `${JSON.stringify(
        rules.map((r) => r.meta),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const w = Math.max(...rules.map((r) => r.meta.id.length));
  process.stdout.write(`${'ID'.padEnd(w)}  LAYER   SEVERITY  DESCRIPTION\n`);
  for (const r of rules)
    process.stdout.write(
      `${r.meta.id.padEnd(w)}  ${r.meta.layer.padEnd(6)}  ${r.meta.severity.padEnd(8)}  ${r.meta.title}\n`,
    );
  process.stdout.write(
    `\n${rules.length} rules, evaluated in this order (L7 → L4 → L3 → L2 → config). 'forensic explain ID' for details.\n`,
  );
  return 0;
}

/** Print one rule's full description and remediation template. */
export async function cmdExplain(argv: string[]): Promise<number> {
  const id = argv[0];
  const r = rules.find((x) => x.meta.id === id);
  if (!id || !r) {
    process.stderr.write(
      `forensic explain: ${id ? `unknown rule '${id}'` : 'expected a rule id'}; known: ${rules.map((x) => x.meta.id).join(', ')}\n`,
    );
    return 2;
  }
  const m = r.meta;
  const wrap = (s: string) => s.replace(/(.{1,78})(\s+|$)/g, '  $1\n');
  process.stdout.write(
    `${m.id} — ${m.title}\nlayer ${m.layer}, default severity ${m.severity}\nreads: ${m.needs.join(', ')}\n\n${wrap(m.description)}`,
  );
  if (m.remediation) process.stdout.write(`\nRemediation:\n${wrap(m.remediation)}`);
  return 0;
}
