// Under `set -o pipefail`, `cmd | grep -q X` (or `| head`) fails whenever the reader exits before
// cmd has written everything: cmd dies of SIGPIPE and the pipeline's status is 141 even though X
// was found. sandbox.sh's `ip addr show | grep -q` did that 1 run in 8, and `up` then exited 2 on an
// address that was already there, failing a CI run. The scripts read the output first instead.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';

const root = path.resolve(import.meta.dirname, '../../..');
const EARLY_READER = /\|\s*(grep\s+(-[a-zA-Z]*q|--quiet)|head\b)/;

/** Lines of a pipefail script that pipe into a reader that may stop early. */
function earlyReaders(text: string): string[] {
  if (!/set -[a-z]*o pipefail|set -o pipefail/.test(text)) return [];
  return text.split('\n').filter((line) => !line.trimStart().startsWith('#') && EARLY_READER.test(line.replace(/\s#.*$/, '')));
}

function scripts(): string[] {
  const out = [path.join(root, '.ci/run')];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (e.name.endsWith('.sh')) out.push(path.join(dir, e.name));
    }
  };
  walk(path.join(root, 'scripts'));
  return out;
}

test('the check finds an early reader in a pipefail script, and only there', () => {
  const bad = 'set -euo pipefail\nip -4 addr show dev br0 | grep -q "inet 10.0.0.1/" || ip addr add 10.0.0.1/24 dev br0\n';
  assert.equal(earlyReaders(bad).length, 1);
  assert.equal(earlyReaders(bad.replace('set -euo pipefail', 'set -eu')).length, 0, 'without pipefail the pipeline status is grep\'s');
  assert.equal(earlyReaders('set -o pipefail\nx=$(ip addr show)\ngrep -q "inet" <<<"$x"\n# a | grep -q in a comment\n').length, 0);
});

test('no pipefail script pipes into grep -q or head', () => {
  const found = scripts();
  assert.ok(found.some((f) => f.endsWith('scripts/sandbox.sh')), 'the sandbox script is among those checked');
  const offenders = found.flatMap((f) => earlyReaders(fs.readFileSync(f, 'utf8')).map((l) => `${path.relative(root, f)}: ${l.trim()}`));
  assert.deepEqual(offenders, []);
});
