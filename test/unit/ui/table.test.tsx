import assert from 'node:assert/strict';
import {test} from 'node:test';
import React from 'react';
import {render} from 'ink-testing-library';
import type {Column} from '../../../source/resources/types.js';
import type {RowView} from '../../../source/resources/rows.js';
import {Table} from '../../../source/ui/table.js';

interface R {
  id: string;
  cpu: string;
}

test("a table row is redrawn when its text changes, not when the rows are made again with the same text", () => {
  // Each cell drawn reads its column's alignment: the count says how many cells were cut to width.
  let cellsDrawn = 0;
  const col = (id: keyof R): Column<unknown> => ({
    id,
    header: id.toUpperCase(),
    cell: (r) => (r as R)[id],
    get align() {
      cellsDrawn++;
      return 'left' as const;
    },
  });
  const columns = [col('id'), col('cpu')];
  const views = (cpu: string[]): RowView[] => cpu.map((c, i) => ({row: {id: `r${i}`, cpu: c}, cells: [`r${i}`, c]}));
  const props = {columns, rowKey: (r: unknown) => (r as R).id, sort: {column: 'id', descending: false}, selected: 0, top: 0, width: 40, height: 10};
  const ui = render(<Table {...props} views={views(['0.0', '0.0', '0.0', '0.0'])} />);
  assert.match(ui.lastFrame()!, /r3\s+0\.0/);
  // The same text in new row objects (a sample whose figures moved below what is shown).
  let before = cellsDrawn;
  ui.rerender(<Table {...props} views={views(['0.0', '0.0', '0.0', '0.0'])} />);
  const header = cellsDrawn - before;
  assert.ok(header <= columns.length * 2, `only the header's cells at most: ${header}`);
  // One row's CPU changes: that row is drawn again, the other three are not.
  before = cellsDrawn;
  ui.rerender(<Table {...props} views={views(['0.0', '0.0', '0.3', '0.0'])} />);
  assert.match(ui.lastFrame()!, /r2\s+0\.3/);
  assert.match(ui.lastFrame()!, /r3\s+0\.0/);
  assert.ok(cellsDrawn - before <= header + columns.length * 2, `the changed row's cells and the header's: ${cellsDrawn - before}`);
  // The selection moves: the two rows whose highlight changed.
  before = cellsDrawn;
  ui.rerender(<Table {...props} selected={1} views={views(['0.0', '0.0', '0.3', '0.0'])} />);
  assert.ok(cellsDrawn - before <= header + columns.length * 2 * 2, `two rows and the header: ${cellsDrawn - before}`);
  ui.unmount();
});
