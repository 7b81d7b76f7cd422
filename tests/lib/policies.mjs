// Policy files the end-to-end tests write for themselves.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A policy named `name` with one priority (P1) around the clock, then `rest`, written to a
// file of its own. Returns the file's path.
function onePriorityPolicyFile(name, rest) {
  const file = join(mkdtempSync(join(tmpdir(), 'chamado-policy-')), `${name.toLowerCase()}.toml`);
  writeFileSync(file, `name = "${name}"
default_priority = "P1"
[calendars.always]
tz = "UTC"
always_open = true
[[priorities]]
name = "P1"
description = "Urgent"
${rest}`);
  return file;
}

// "Hooked": first response within 15 minutes, and its breach POSTed to `hook`.
export function hookedPolicyFile(hook) {
  return onePriorityPolicyFile('Hooked', `[[targets]]
target = "first_response"
within = "15m"
[[escalations]]
targets = ["first_response"]
webhook = "${hook}"
`);
}

// "Routed": new tickets join the group Support, routed to the least loaded agent, at most
// `capacity` open tickets each.
export function routedPolicyFile(capacity) {
  return onePriorityPolicyFile('Routed', `[routing]
group = "Support"
mode = "least_loaded"
capacity = ${capacity}
`);
}
