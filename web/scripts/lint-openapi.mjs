#!/usr/bin/env node
// Lints docs/openapi.json with Redocly CLI (docs/redocly.yaml) and Spectral (docs/.spectral.yaml).
// Exit code 0 when neither reports anything, 1 with every error and warning listed otherwise:
// a warning fails too, which neither tool does by itself for Redocly.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const docs = join(web, '..', 'docs');
const document = join(docs, 'openapi.json');
const bin = (name) => join(web, 'node_modules', '.bin', name);
// No usage reports and no update notices: the lint runs offline, in tests and in CI.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', SCARF_ANALYTICS: 'false' };

for (const tool of ['redocly', 'spectral']) {
  if (!existsSync(bin(tool))) {
    console.error(`${bin(tool)} is missing: run \`npm ci\` in ${web} first.`);
    process.exit(1);
  }
}

let failed = false;

const redocly = spawnSync(bin('redocly'), ['lint', '--config', join(docs, 'redocly.yaml'), '--format=json', document],
  { env, encoding: 'utf8' });
let report;
try {
  report = JSON.parse(redocly.stdout);
} catch {
  console.error(`redocly lint did not answer JSON (exit ${redocly.status}):\n${redocly.stdout}${redocly.stderr}`);
  process.exit(1);
}
for (const p of report.problems) {
  const where = p.location.map((l) => l.pointer).join(', ');
  console.error(`redocly ${p.severity} ${p.ruleId} at ${where}: ${p.message}`);
}
if (report.problems.length > 0 || redocly.status !== 0) failed = true;
console.log(`redocly ${report.version}: ${report.totals.errors} errors, ${report.totals.warnings} warnings`);

const spectral = spawnSync(bin('spectral'),
  ['lint', '--ruleset', join(docs, '.spectral.yaml'), '--fail-severity=hint', '--format=text', document],
  { env, encoding: 'utf8' });
const found = spectral.stdout.trim();
if (found && !/^No results with a severity of/.test(found)) console.error(`spectral:\n${found}`);
if (spectral.stderr.trim()) console.error(spectral.stderr.trim());
if (spectral.status !== 0) failed = true;
console.log(`spectral: ${spectral.status === 0 ? 'no problems' : 'problems above'}`);

process.exit(failed ? 1 : 0);
