// Policy files the end-to-end tests write for themselves.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// "Hooked": one priority (P1) around the clock, first response within 15 minutes, and its
// breach POSTed to `hook`. Returns the file's path.
export function hookedPolicyFile(hook) {
  const file = join(mkdtempSync(join(tmpdir(), 'chamado-hook-')), 'hook.toml');
  writeFileSync(file, `name = "Hooked"
default_priority = "P1"
[calendars.always]
tz = "UTC"
always_open = true
[[priorities]]
name = "P1"
description = "Urgent"
[[targets]]
target = "first_response"
within = "15m"
[[escalations]]
targets = ["first_response"]
webhook = "${hook}"
`);
  return file;
}
