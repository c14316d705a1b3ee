import type {KeyPress} from './parse.js';
import type {Binding} from './bindings.js';

/** The editing keys of every one-line text input (the : and / prompt, form fields). */
export const textEditBindings: Binding[] = [
  {id: 'delete-char', keys: ['backspace'], label: 'delete a character'},
  {id: 'delete-line', keys: ['ctrl+u'], label: 'clear the input'},
  {id: 'delete-word', keys: ['ctrl+w'], label: 'delete a word'},
];

/** The text after a key, or undefined when the key is not an editing key. One model for prompt and form. */
export function editText(value: string, key: KeyPress): string | undefined {
  switch (key.name) {
    case 'backspace':
      return [...value].slice(0, -1).join('');
    case 'ctrl+u':
      return '';
    case 'ctrl+w':
      return value.replace(/\S*\s*$/, '');
    default:
      return key.text ? value + key.text : undefined;
  }
}
