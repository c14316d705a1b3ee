import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseKeys} from '../../../source/keys/parse.js';

const names = (s: string) => parseKeys(s).map((k) => k.name);

test('a chunk of typed letters becomes one key each', () => {
  assert.deepEqual(names('jjj'), ['j', 'j', 'j']);
});

test('escape sequences inside a chunk stay whole', () => {
  assert.deepEqual(names('\x1b[B\x1b[Bk'), ['down', 'down', 'k']);
  assert.deepEqual(names('\x1b[5~\x1b[6~'), ['pgup', 'pgdn']);
  assert.deepEqual(names('\x1bOA'), ['up']);
});

test('control keys are named', () => {
  assert.deepEqual(names('\r\x1b\x03\x04\x7f\t'), ['enter', 'esc', 'ctrl+c', 'ctrl+d', 'backspace', 'tab']);
});

test('shifted letters keep their case, for k9s-style sorting', () => {
  assert.deepEqual(names('NA'), ['N', 'A']);
});

test('a command typed in one write is split into its keys', () => {
  assert.deepEqual(names(':ns\r'), [':', 'n', 's', 'enter']);
});

test('focus reports (CSI I, CSI O) are focus events, not keys, wherever they come in a chunk', () => {
  assert.deepEqual(
    parseKeys('j\x1b[Ok\x1b[I\x1b[B').map((k) => k.name),
    ['j', 'focus-out', 'k', 'focus-in', 'down'],
  );
  assert.deepEqual(parseKeys('\x1b[O'), [{name: 'focus-out', text: ''}]);
});
