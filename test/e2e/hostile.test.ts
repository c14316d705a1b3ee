import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {after, before, test} from 'node:test';
import {ctr, makeTestNamespace, removeTestNamespace} from '../helpers/ctr.js';
import {closeEtcdClient, etcdctlEnv, etcdGet, openTreeFolders, putKeys, selectTreeRow} from '../helpers/etcd.js';
import {HOSTILE, SHOWN, assertShows, charAt, foreignSequences, lastColumn, lineIndex} from '../helpers/hostile.js';
import type {PtySession} from '../helpers/pty.js';
import {sandboxEnv} from '../helpers/sandbox-env.js';
import {filterTo, readDetail} from '../helpers/screen.js';
import {startUndock, stopAll} from '../helpers/undock.js';

// Hostile strings from the daemons (etcd keys and values, container names, labels, image names,
// log lines) go through the built CLI in a pty: the raw stream holds no sequence undock did not
// write itself, the window title never changes, rows line up, and the escaped forms are on screen.

const env = sandboxEnv();
const run = process.pid.toString(36);
const ns = `undock-e2e-hostile-${run}`;
const folder = `undock-e2e-hostile-${run}/`;
const prefix = `/${folder}`;
const BUSYBOX = 'docker.io/library/busybox:latest';
const EVIL_IMAGE = `evil.example/x${HOSTILE.osc0}:latest`;
const snapshotter = process.env.CONTAINERD_SNAPSHOTTER || 'overlayfs';
const SIZE = {cols: 160, rows: 40};
let cgroupParent: string | undefined;

after(() => {
  stopAll();
  spawnSync('etcdctl', ['del', '--prefix', prefix], {env: etcdctlEnv()});
  closeEtcdClient();
  if (cgroupParent) {
    spawnSync('ctr', ['--address', env.address, '-n', ns, 'images', 'rm', EVIL_IMAGE]);
    removeTestNamespace(ns, BUSYBOX, cgroupParent);
  }
});

/** One printf per round: each log line carries one kind of hostile bytes (octal escapes, for busybox printf). */
const LOG_SCRIPT = [
  'i=0; while true; do i=$((i+1))',
  "printf 'HX-OSC0 %s \\033]0;PWNED\\007 end\\n' $i",
  "printf 'HX-OSC52 %s \\033]52;c;aGVsbG8=\\007 end\\n' $i",
  "printf 'HX-OSC8 %s \\033]8;;http://evil.example/\\033\\\\link\\033]8;;\\033\\\\ end\\n' $i",
  "printf 'HX-DCS %s \\033P1;2qpayload\\033\\\\ \\033_apc\\033\\\\ \\033^pm\\033\\\\ end\\n' $i",
  "printf 'HX-SGR %s \\033[31mred\\033[0m \\033[2J end\\n' $i",
  "printf 'HX-BS %s x\\b\\b\\b\\bweb end\\n' $i",
  "printf 'HX-CR %s over\\rwrite end\\n' $i",
  "printf 'HX-NUL %s a\\000b \\007bel end\\n' $i",
  "printf 'HX-BAD %s \\377\\376 end\\n' $i",
  "printf 'HX-UNI %s 名前 zw\\342\\200\\213web rtl-\\342\\200\\256gnp.exe c1-\\302\\2332J end\\n' $i",
  'sleep 1; done',
].join('; ');

const LOG_SHOWN = [
  `HX-OSC0 \\d+ ${SHOWN.osc0} end`,
  `HX-OSC52 \\d+ ${SHOWN.osc52} end`,
  `HX-OSC8 \\d+ ${SHOWN.osc8} end`,
  'HX-DCS \\d+ \\eP1;2qpayload\\e\\ \\e_apc\\e\\ \\e^pm\\e\\ end',
  'HX-SGR \\d+ \\e[31mred\\e[0m \\e[2J end',
  `HX-BS \\d+ ${SHOWN.bs} end`,
  `HX-CR \\d+ ${SHOWN.cr} end`,
  'HX-NUL \\d+ a\\0b \\x07bel end',
  'HX-BAD \\d+ \\xff\\xfe end',
  `HX-UNI \\d+ 名前 ${SHOWN.zw} ${SHOWN.rtl} ${SHOWN.c1} end`,
];
const logLine = (shown: string) => new RegExp(`^${shown.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace('\\\\d\\+', '\\d+')}$`, 'm');

/** Containers whose name label (the NAME column) is hostile; hx-logs runs and logs hostile lines. */
const NAMES: Record<string, string> = {
  'hx-logs': HOSTILE.bs,
  'hx-osc0': `osc0-${HOSTILE.osc0}`,
  'hx-cjk': HOSTILE.cjk,
  'hx-zw': HOSTILE.zw,
  'hx-rtl': HOSTILE.rtl,
  'hx-nl': `nl-${HOSTILE.nl}`,
  'hx-cr': `cr-${HOSTILE.cr}`,
  'hx-c1': HOSTILE.c1,
  'hx-sgr': `sgr-${HOSTILE.sgr}`,
};

before(() => {
  cgroupParent = makeTestNamespace(ns, BUSYBOX, snapshotter);
  ctr(ns, 'images', 'tag', BUSYBOX, EVIL_IMAGE);
  const log = path.join(env.sandbox, 'logs', `${ns}-hx-logs.log`);
  fs.mkdirSync(path.dirname(log), {recursive: true});
  const labels = ['--label', `nerdctl/name=${NAMES['hx-logs']}`, '--label', `undock/log-uri=file://${log}`];
  for (const [k, v] of Object.entries(HOSTILE)) labels.push('--label', `evil.${k}=${v}`);
  // A label with bytes that are not UTF-8: only a shell can put them in an argument.
  execFileSync('sh', ['-c', `ns=$1; shift; exec ctr --address "$0" -n "$ns" run --label "evil.bytes=$(printf 'a\\377\\376b')" "$@"`, env.address, ns,
    '-d', '--net-host', '--snapshotter', snapshotter, '--runc-root', path.join(env.sandbox, 'runc'), '--cgroup', `${cgroupParent}/${ns}/hx-logs`,
    ...labels, `--log-uri=file://${log}`, EVIL_IMAGE, 'hx-logs', 'sh', '-c', LOG_SCRIPT]);
  for (const [id, name] of Object.entries(NAMES)) {
    if (id !== 'hx-logs') ctr(ns, 'containers', 'create', '--snapshotter', snapshotter, '--label', `nerdctl/name=${name}`, BUSYBOX, id);
  }
});

/** A session whose window title is watched from the first byte. */
function session(args: string[], extraEnv: NodeJS.ProcessEnv = {}): {s: PtySession; titles: string[]} {
  const s = startUndock(args, {...SIZE, env: extraEnv});
  const titles: string[] = [];
  s.term.onTitleChange((t) => titles.push(t));
  return {s, titles};
}

/** What every session must end with: nothing foreign in the raw stream, no raw hostile string, the title untouched. */
function assertRawClean(s: PtySession, titles: string[]): void {
  const raw = s.output();
  assert.deepEqual(foreignSequences(raw), [], 'only undock\'s own escape sequences reach the terminal');
  for (const [kind, text] of Object.entries(HOSTILE)) {
    if (kind !== 'cjk') assert.ok(!raw.includes(text), `the raw ${kind} string never reaches the terminal`);
  }
  assert.deepEqual(titles, [], 'the window title never changes');
}

/** Table rows from the line after the header to the last row: every one ends in the header's last column. */
function assertRowsLineUp(s: PtySession, header: RegExp, rows: number): void {
  const h = lineIndex(s, header);
  assert.ok(h >= 0, `a header ${header} on screen:\n${s.text()}`);
  const end = lastColumn(s, h);
  for (let y = h + 1; y <= h + rows; y++) assert.equal(lastColumn(s, y), end, `row ${y - h} ends where the header does:\n${s.text()}`);
  assert.equal(s.screen()[h + rows + 1]!.trim(), '', `exactly ${rows} rows: no name split a row:\n${s.text()}`);
}

test('containers, describe, logs and images show hostile names, labels, images and log lines escaped', async () => {
  const {s, titles} = session(['--view', 'containers', '-n', ns]);
  const list = await s.waitFor(new RegExp(`Containers\\(${ns}\\)\\[9\\][\\s\\S]* running `), 15_000);
  assertShows(list, [SHOWN.bs, `osc0-${SHOWN.osc0}`, SHOWN.cjk, SHOWN.zw, SHOWN.rtl, `nl-${SHOWN.nl}`, `cr-${SHOWN.cr}`, SHOWN.c1, `sgr-${SHOWN.sgr}`], 'containers');
  assertShows(list, [`evil.example/x${SHOWN.osc0}:latest`], 'the image column');
  // The spoof does not pass for "web": its row shows the backspaces.
  assert.ok(s.screen().some((l) => l.startsWith(` ${SHOWN.bs} `)));
  assert.ok(!s.screen().some((l) => /^ web\s/.test(l)), 'no row reads as a container named web');
  assertRowsLineUp(s, /^ NAME↑\s+ID\s+IMAGE/, 9);

  await filterTo(s, 'hx-logs');
  await s.press('d');
  const detail = await readDetail(s);
  // Quoted YAML doubles a backslash the label really holds (OSC 8's ST is ESC \\); a newline makes a block.
  const osc8Quoted = SHOWN.osc8.replace(/\\e\\(?!\])/g, '\\e\\\\');
  assertShows(detail, [`nerdctl/name: "${SHOWN.bs}"`, `evil.osc52: "${SHOWN.osc52}"`, `evil.osc8: "${osc8Quoted}"`, `evil.cr: "${SHOWN.cr}"`, `evil.rtl: "${SHOWN.rtl}"`, 'evil.nl: |'], 'describe');
  await s.press('esc');
  await s.waitFor(/<\/hx-logs>/);

  await s.press('l');
  const logs = await s.waitFor((screen) => LOG_SHOWN.every((l) => logLine(l).test(screen)), 15_000);
  assert.match(logs, new RegExp(`Logs ${SHOWN.bs.replace(/\\/g, '\\\\')} \\[following\\]`));
  // Each hostile line is one row that starts as it should: a CR or a newline overwrote or split nothing.
  const rows = s.screen().filter((l) => l.startsWith('HX-'));
  assert.ok(rows.length >= LOG_SHOWN.length);
  for (const r of rows) assert.match(r, /^HX-[A-Z0-9]+ \d+ .* end$/, 'a whole log line per row');
  await s.press('esc');

  await s.press(':');
  await s.type('images');
  await s.press('enter');
  const images = await s.waitFor(new RegExp(`Images\\(${ns}\\)\\[2\\][\\s\\S]*evil\\.example`));
  assertShows(images, [`evil.example/x${SHOWN.osc0}`], 'images');
  assertRowsLineUp(s, /^ NAME↑?\s+TAG/, 2);
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
  assertRawClean(s, titles);
});

/** A k8s\0 value (runtime.Unknown) with hostile TypeMeta and a hostile string in the object. */
function k8sValue(): Buffer {
  const ld = (field: number, bytes: Buffer) => Buffer.concat([Buffer.from([(field << 3) | 2, bytes.length]), bytes]);
  const typeMeta = Buffer.concat([ld(1, Buffer.from(`v1${HOSTILE.osc0}`)), ld(2, Buffer.from(`Pod${HOSTILE.rtl}`))]);
  return Buffer.concat([Buffer.from('k8s\0'), ld(1, typeMeta), ld(2, ld(1, ld(1, Buffer.from(HOSTILE.zw))))]);
}

/** Selects a key and waits for its preview (titled with the key, on the header line) to show what is expected. */
async function preview(s: PtySession, name: string, expected: string[]): Promise<void> {
  await selectTreeRow(s, name);
  const ready = (screen: string) => screen.includes(`MOD ${prefix}${name}`) && !screen.includes('loading…');
  const screen = await s.waitFor((text) => ready(text) && expected.every((e) => text.includes(e))).catch(() => s.text());
  assertShows(screen, expected, `the preview of ${name}`);
}

const filler = (n: number, line: (i: number) => string) => Array.from({length: n}, (_, i) => line(i)).join('\n');
const OSC8_KEY = '\x1b]8;;evil\x1b\\link\x1b]8;;\x1b\\';

test('the key tree, its preview, describe, the delete dialog, the status line and the editor banner show hostile keys escaped', async () => {
  await putKeys([
    [`${prefix}k-bs\b\b\b\b-ZZ`, 'spoof'],
    [`${prefix}osc0-${HOSTILE.osc0}`, 'a text value'],
    [`${prefix}osc8-${OSC8_KEY}`, 'x'],
    [`${prefix}nl-${HOSTILE.nl}`, 'x'],
    [`${prefix}cr-${HOSTILE.cr}`, 'x'],
    [`${prefix}nul-\0-key`, 'x'],
    [Buffer.concat([Buffer.from(`${prefix}bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('-key')]), 'x'],
    [`${prefix}${HOSTILE.cjk}`, 'x'],
    [`${prefix}${HOSTILE.zw}`, 'x'],
    [`${prefix}${HOSTILE.rtl}`, 'x'],
    [`${prefix}sgr-${HOSTILE.sgr}`, 'x'],
    [`${prefix}v-text`, `${HOSTILE.osc0} title\n${HOSTILE.osc52} clip\n${HOSTILE.sgr}\n${HOSTILE.bs}\n${HOSTILE.cr}\n${HOSTILE.c1}\n${filler(40, (i) => `filler line ${i} of plain text`)}\n`],
    [`${prefix}v-json`, JSON.stringify({rtl: HOSTILE.rtl, c1: HOSTILE.c1, zw: HOSTILE.zw, osc: HOSTILE.osc0})],
    [`${prefix}v-yaml`, `name: "${HOSTILE.osc52}"\nnote: ${HOSTILE.bs}\n${filler(80, (i) => `key${i}: value`)}\n`],
    [`${prefix}v-k8s`, k8sValue()],
  ]);
  const {s, titles} = session(['--view', 'keys'], {EDITOR: 'true', VISUAL: ''});
  await s.waitFor(/etcd keys[^\n]*\[\d+\]/);
  await openTreeFolders(s, '/', folder);
  const tree = await s.waitFor((screen) => screen.includes('v-yaml') && screen.includes('k-bs'));
  assertShows(tree, ['k-bs\\b\\b\\b\\b-ZZ', `osc0-${SHOWN.osc0}`, 'osc8-\\e]8;;evil\\e\\link\\e]8;;\\e\\', `nl-${SHOWN.nl}`, `cr-${SHOWN.cr}`, 'nul-\\0-key', 'bad-\\xff\\xfe-key', SHOWN.cjk, SHOWN.zw, SHOWN.rtl, `sgr-${SHOWN.sgr}`], 'the tree');

  await preview(s, 'v-text', [`${SHOWN.osc0} title`, `${SHOWN.osc52} clip`, SHOWN.sgr, SHOWN.bs, SHOWN.cr, SHOWN.c1]);
  await preview(s, 'v-json', [`"rtl": "${SHOWN.rtl}"`, `"c1": "${SHOWN.c1}"`, `"zw": "${SHOWN.zw}"`, '"osc": "\\u001b]0;PWNED\\u0007"']);
  await preview(s, 'v-k8s', [`apiVersion: v1${SHOWN.osc0}`, `kind: Pod${SHOWN.rtl}`, `name: "${SHOWN.zw}"`]);

  // With the preview open the tree keeps KEY, SIZE, VER and MOD: every leaf's MOD ends under the header's.
  const h = lineIndex(s, /^ KEY\s+SIZE\/KEYS\s+VER\s+MOD/);
  const modEnd = s.screen()[h]!.indexOf(' MOD') + 3;
  const leaves = s
    .screen()
    .map((l, y) => ({l, y}))
    .filter(({l, y}) => y > h && l.startsWith('     ') && !/[▸▾]/.test(l) && l.slice(0, modEnd + 1).trim() !== '');
  assert.ok(leaves.length >= 15, `the prefix's keys are on screen:\n${s.text()}`);
  for (const {y} of leaves) {
    assert.match(charAt(s, modEnd, y), /\d/, `row ${y}: the MOD column ends at ${modEnd}:\n${s.text()}`);
    assert.equal(charAt(s, modEnd + 1, y).trim(), '', `row ${y}: nothing of the name spills past the tree`);
  }

  await selectTreeRow(s, 'v-yaml');
  await s.press('enter');
  assertShows(await readDetail(s), [`name: "${SHOWN.osc52}"`, `note: ${SHOWN.bs}`], 'describe of a key');
  await s.press('esc');

  // The backspace spoof shows its real bytes in the preview title, the delete dialog and the status line.
  const bsKey = `${prefix}k-bs\\b\\b\\b\\b-ZZ`;
  await selectTreeRow(s, 'k-bs\\b\\b\\b\\b-ZZ');
  await s.waitFor((screen) => screen.split('\n').some((l) => l.includes(`MOD ${bsKey}`)));
  await s.press('ctrl+d');
  await s.waitFor(`Delete ${bsKey}?`);
  await s.press('y');
  await s.waitFor(new RegExp(`deleted ${bsKey.replace(/\\/g, '\\\\')} at revision \\d+`));
  assert.equal(etcdGet(`${prefix}k-bs\b\b\b\b-ZZ`), undefined, 'exactly that key was deleted');

  // e hands the terminal to $EDITOR (true): the banner written past Ink is sanitised too.
  await selectTreeRow(s, `osc0-${SHOWN.osc0}`);
  await s.press('e');
  await s.waitFor(`osc0-${SHOWN.osc0} unchanged: nothing written`);
  assert.ok(s.output().includes(`undock: editing ${prefix}osc0-${SHOWN.osc0} with true`), 'the banner names the key escaped');
  await s.press('q');
  assert.equal(await s.waitExit(), 0);
  assertRawClean(s, titles);
});
