import assert from 'node:assert/strict';
import {test} from 'node:test';
import {CriLogParser, parseCriLog, parseCriRecord} from '../../../source/data/logs/cri-log.js';

const T1 = '2024-05-06T07:08:09.123456789Z';
const T2 = '2024-05-06T07:08:10.5Z';
const T3 = '2024-05-06T07:08:11Z';

test('a CRI line parses into time, stream, tag and text', () => {
  assert.deepEqual(parseCriRecord(`${T1} stdout F hello world`), {
    time: new Date('2024-05-06T07:08:09.123Z'),
    stream: 'stdout',
    partial: false,
    text: 'hello world',
  });
  const partial = parseCriRecord(`${T2} stderr P chunk `);
  assert.equal(partial?.stream, 'stderr');
  assert.equal(partial?.partial, true);
  // Text is kept exactly, spaces included.
  assert.equal(partial?.text, 'chunk ');
  assert.equal(parseCriRecord(`${T3} stdout F   indented`)?.text, '  indented');
});

test('timestamps with zone offsets and trailing-zero-trimmed fractions parse', () => {
  assert.equal(parseCriRecord('2024-05-06T09:08:09.1+02:00 stdout F x')?.time.toISOString(), '2024-05-06T07:08:09.100Z');
  assert.equal(parseCriRecord(`${T3} stdout F x`)?.time.toISOString(), '2024-05-06T07:08:11.000Z');
});

test('an empty line, with or without the space before the text, is an empty F line', () => {
  assert.equal(parseCriRecord(`${T1} stdout F `)?.text, '');
  assert.equal(parseCriRecord(`${T1} stdout F`)?.text, '');
  assert.equal(parseCriRecord(`${T1} stdout F`)?.partial, false);
});

test('tags after the P/F flag (P:more) are tolerated', () => {
  const rec = parseCriRecord(`${T1} stdout P:x text`);
  assert.equal(rec?.partial, true);
  assert.equal(rec?.text, 'text');
});

test('a line without the tag field keeps everything after the stream as text', () => {
  const rec = parseCriRecord(`${T1} stdout hello there`);
  assert.equal(rec?.partial, false);
  assert.equal(rec?.text, 'hello there');
});

test('malformed lines are not records', () => {
  for (const line of ['', 'hello', `${T1}`, `${T1} stdin F x`, 'yesterday stdout F x', '2024 stdout F x', `${T1}stdout F x`]) {
    assert.equal(parseCriRecord(line), undefined, JSON.stringify(line));
  }
});

test('P chunks are joined until the F line, carrying the first chunk time', () => {
  const lines = parseCriLog([`${T1} stdout P abc`, `${T2} stdout P def`, `${T3} stdout F ghi`, `${T3} stdout F next`]);
  assert.deepEqual(lines, [
    {time: new Date(T1), stream: 'stdout', text: 'abcdefghi'},
    {time: new Date(T3), stream: 'stdout', text: 'next'},
  ]);
});

test('chunks of stdout and stderr interleave and are joined per stream', () => {
  const lines = parseCriLog([
    `${T1} stdout P out-1 `,
    `${T1} stderr P err-1 `,
    `${T2} stderr F err-2`,
    `${T2} stdout P out-2 `,
    `${T3} stderr F lone error`,
    `${T3} stdout F out-3`,
  ]);
  assert.deepEqual(
    lines.map((l) => [l.stream, l.text]),
    [
      ['stderr', 'err-1 err-2'],
      ['stderr', 'lone error'],
      ['stdout', 'out-1 out-2 out-3'],
    ],
  );
  assert.deepEqual(lines[2]!.time, new Date(T1));
});

test('a malformed line is kept as plain text and does not break a pending join', () => {
  const parser = new CriLogParser();
  assert.equal(parser.push(`${T1} stdout P start-`), undefined);
  assert.ok(parser.hasPending);
  assert.deepEqual(parser.push('garbage: not a CRI line'), {text: 'garbage: not a CRI line'});
  assert.deepEqual(parser.push(`${T2} stdout F end`), {time: new Date(T1), stream: 'stdout', text: 'start-end'});
  assert.equal(parser.hasPending, false);
});

test('unfinished chunks come out on flush (a file that will not grow) and reset forgets them', () => {
  const parser = new CriLogParser();
  parser.push(`${T1} stdout P half`);
  parser.push(`${T1} stderr P other half`);
  assert.deepEqual(parser.flush(), [
    {time: new Date(T1), stream: 'stdout', text: 'half'},
    {time: new Date(T1), stream: 'stderr', text: 'other half'},
  ]);
  assert.deepEqual(parser.flush(), []);
  parser.push(`${T1} stdout P dropped`);
  parser.reset();
  assert.deepEqual(parser.push(`${T2} stdout F fresh`), {time: new Date(T2), stream: 'stdout', text: 'fresh'});
  // parseCriLog flushes at the end.
  assert.deepEqual(parseCriLog([`${T1} stdout P tail`]), [{time: new Date(T1), stream: 'stdout', text: 'tail'}]);
});
