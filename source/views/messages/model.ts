import type {AppController} from '../../store/app-store.js';
import type {Frame, ViewModel, ViewSize} from '../../store/frames.js';
import type {Message} from '../../store/messages.js';

export interface MessagesState {
  /** Index (newest first) of the first message shown. */
  top: number;
}

export interface MessagesModel extends ViewModel {
  /** Newest first. */
  messages: Message[];
}

export function messagesModel(app: AppController, frame: Frame<MessagesState>, size: ViewSize): MessagesModel {
  const messages = [...app.messages.store.getState().messages].reverse();
  return {messages, count: messages.length, pageSize: Math.max(1, size.height - 1), rowAt: (i) => messages[i], selection: messages[frame.state.top]};
}

export function clock(d: Date): string {
  return d.toTimeString().slice(0, 8);
}
