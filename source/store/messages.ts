import {createStore, type Store} from './store.js';

export interface Message {
  time: Date;
  text: string;
  level: 'info' | 'error';
}

/** How many status messages `:messages` keeps. */
export const MESSAGES_KEPT = 100;

/** Every status message, whole and with its time: the status line shows the last, `:messages` the last hundred. */
export class MessageLog {
  readonly store: Store<{messages: Message[]}> = createStore<{messages: Message[]}>({messages: []});

  add(text: string, level: 'info' | 'error'): void {
    this.store.setState((s) => ({messages: [...s.messages.slice(-(MESSAGES_KEPT - 1)), {time: new Date(), text, level}]}));
  }
}
