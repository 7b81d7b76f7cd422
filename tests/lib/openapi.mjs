// Checks API responses against docs/openapi.json: the subset of JSON Schema the document
// uses (type, with "null" in a list; required; properties; additionalProperties; items; enum;
// allOf, oneOf, anyOf; $ref) and the documented content types. Hand-written because the web
// UI's npm dependencies are for the UI only; it fails on any mismatch it knows how to see and
// names the path of the value.
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
  for (const s of schema.allOf || []) errors.push(...check(s, value, where));
  for (const [keyword, fits] of [['oneOf', (n) => n === 1], ['anyOf', (n) => n >= 1]]) {
    if (!schema[keyword]) continue;
    const results = schema[keyword].map((s) => check(s, value, where));
    const matching = results.filter((e) => e.length === 0).length;
    if (!fits(matching)) errors.push(`${where}: fits ${matching} of ${keyword} (${results.map((e) => e.join('; ') || 'fits').join(' | ')})`);
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of schema.required || []) if (!(k in value)) errors.push(`${where}: lacks ${k}`);
    const properties = schema.properties || {};
    for (const [k, s] of Object.entries(properties)) if (k in value) errors.push(...check(s, value[k], `${where}.${k}`));
    const extra = Object.keys(value).filter((k) => !(k in properties));
    if (schema.additionalProperties === false) for (const k of extra) errors.push(`${where}: ${k} is not a documented property`);
    else if (typeof schema.additionalProperties === 'object') for (const k of extra) errors.push(...check(schema.additionalProperties, value[k], `${where}.${k}`));
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
  const type = (response.headers?.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (!content) {
    assert.equal(response.text ?? '', '', `${method} ${path} ${response.status} has a body the document does not describe`);
    return;
  }
  if (response.headers) {
    const media = Object.keys(content).find((m) => m === type || m === '*/*' || (m.endsWith('/*') && type.startsWith(m.slice(0, -1))));
    assert.ok(media, `${method} ${path} ${response.status} answered ${type || 'no Content-Type'}; the document lists ${Object.keys(content).join(', ')}`);
  }
  const schema = content[type]?.schema ?? content['application/json']?.schema ?? content['application/problem+json']?.schema;
  if (!schema || (type && !/json$/.test(type))) return;
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
