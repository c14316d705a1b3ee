import {movementBindings} from '../../keys/bindings.js';
import {move} from '../../keys/movement.js';
import type {ViewBinding} from '../types.js';
import type {DescribeState} from './model.js';

/** The describe view's controller: YAML/JSON and scrolling (the last page stays full). */
export const describeBindings: ViewBinding<DescribeState>[] = [
  {
    id: 'toggle-format',
    keys: ['y'],
    label: 'YAML / JSON',
    hint: true,
    run: ({app, frame}) => app.update(frame, {format: frame.state.format === 'yaml' ? 'json' : 'yaml', scroll: 0}),
  },
  ...movementBindings.map(
    (b): ViewBinding<DescribeState> => ({
      ...b,
      label: b.label.replace('down', 'scroll down').replace(/^up$/, 'scroll up'),
      run: ({app, frame, model}) => {
        const maxTop = Math.max(0, model.count - model.pageSize);
        const scroll = Math.min(maxTop, move(frame.state.scroll, {count: maxTop + 1, pageSize: model.pageSize}, b.id));
        if (scroll !== frame.state.scroll) app.update(frame, {scroll});
      },
    }),
  ),
];
