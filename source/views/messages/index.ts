import {movementBindings} from '../../keys/bindings.js';
import {move} from '../../keys/movement.js';
import type {ViewBinding, ViewDef} from '../types.js';
import {messagesModel, type MessagesState} from './model.js';
import {MessagesView} from './view.js';

const scroll: ViewBinding<MessagesState>[] = movementBindings.map((b) => ({
  ...b,
  label: `scroll ${b.label}`,
  run: ({app, frame, model}) => app.update(frame, {top: move(frame.state.top, model, b.id)}),
}));

/** `:messages`: the last hundred status messages in full, with their times. */
export const messagesView: ViewDef<MessagesState> = {
  id: 'messages',
  aliases: ['msg'],
  title: 'messages',
  open: () => ({frame: {view: 'messages', crumb: 'messages', state: {top: 0}}, as: 'push'}),
  component: MessagesView,
  model: messagesModel,
  bindings: () => scroll,
  heading: () => 'messages',
};
