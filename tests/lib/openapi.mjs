// Checks API responses against docs/openapi.json: the subset of JSON Schema the document
// uses (type, with "null" in a list; required; properties; items; enum; $ref). Hand-written
// because the web UI's npm dependencies are for the UI only; it fails on any mismatch it
// knows how to see and names the path of the value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { repoRoot } from './server.mjs';

const doc = JSON.parse(readFileSync(join(repoRoot, 'docs', 'openapi.json'), 'utf8'));

function resolve(schema) {
  while (schema && schema.$ref) schema = schema.$ref.split('/').slice(1).reduce((o, k) => o[k], doc);
  return schema;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

export function check(schema, value, where = '$') {
  schema = resolve(schema);
  if (!schema) return [];
  const errors = [];
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${where}: ${t}, not ${types.join(' or ')}`];
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${where}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of schema.required || []) if (!(k in value)) errors.push(`${where}: lacks ${k}`);
    for (const [k, s] of Object.entries(schema.properties || {})) if (k in value) errors.push(...check(s, value[k], `${where}.${k}`));
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...check(schema.items, v, `${where}[${i}]`)));
  return errors;
}

// Asserts that `response` (from tests/lib/server.mjs's clients) is what the document says
// `method path` answers with its status.
export function assertDocumented(method, path, response) {
  const op = doc.paths[path]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${path} is not in the OpenAPI document`);
  const documented = op.responses[String(response.status)];
  assert.ok(documented, `${method} ${path} answered ${response.status}, which the document does not list`);
  const content = resolve(documented).content;
  const schema = content?.['application/json']?.schema ?? content?.['application/problem+json']?.schema;
  if (!schema) return;
  const errors = check(schema, response.json);
  assert.deepEqual(errors, [], `${method} ${path} ${response.status} differs from the document`);
}

// Sends `method path` as `who` (a client of tests/lib/server.mjs) and asserts the answer is
// what the document says `template` (the documented path) answers.
export async function documentedCall(who, method, path, template, body) {
  const r = await who.request(method, path, body);
  assertDocumented(method, template, r);
  return r;
}
