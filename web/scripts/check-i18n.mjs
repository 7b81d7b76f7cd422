#!/usr/bin/env node
// Checks that src/locales has a file for each language of src/languages.json and no other,
// that every locale has exactly the keys of en.json, that each text keeps the same
// {placeholders}, and that no text is empty.
// Exit code 0 when all is well, 1 with a list of problems otherwise.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const dir = join(src, 'locales');
const EXPECTED = JSON.parse(readFileSync(join(src, 'languages.json'), 'utf8')).map((l) => l.code);

function load(name) {
  const text = readFileSync(join(dir, `${name}.json`), 'utf8');
  const data = JSON.parse(text);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${name}.json is not a JSON object`);
  return data;
}

const placeholders = (s) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

const problems = [];
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
for (const lang of EXPECTED) if (!files.includes(lang)) problems.push(`missing locale file ${lang}.json`);
for (const lang of files) if (!EXPECTED.includes(lang)) problems.push(`locale file ${lang}.json is not a language of src/languages.json`);

let en;
try {
  en = load('en');
} catch (e) {
  console.error(`check-i18n: ${e.message}`);
  process.exit(1);
}
const keys = Object.keys(en);
for (const k of keys) if (typeof en[k] !== 'string' || !en[k].trim()) problems.push(`en: "${k}" is empty or not text`);

for (const lang of files.filter((f) => f !== 'en')) {
  let dict;
  try {
    dict = load(lang);
  } catch (e) {
    problems.push(`${lang}: ${e.message}`);
    continue;
  }
  for (const k of keys) {
    if (!(k in dict)) {
      problems.push(`${lang}: missing key "${k}"`);
      continue;
    }
    if (typeof dict[k] !== 'string' || !dict[k].trim()) {
      problems.push(`${lang}: "${k}" is empty or not text`);
      continue;
    }
    if (placeholders(dict[k]) !== placeholders(en[k]))
      problems.push(`${lang}: "${k}" has placeholders {${placeholders(dict[k])}} but en has {${placeholders(en[k])}}`);
  }
  for (const k of Object.keys(dict)) if (!(k in en)) problems.push(`${lang}: extra key "${k}" (not in en.json)`);
}

if (problems.length) {
  console.error(`check-i18n: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log(`check-i18n: ${files.length} locales, ${keys.length} keys each, placeholders match`);
