/** List movement shared by every view: tables, the key tree, logs and describe scroll alike. */
export interface ListModel {
  count: number;
  pageSize: number;
}

/** The index a movement binding leads to, kept inside the list. */
export function move(current: number, list: ListModel, id: string): number {
  const last = Math.max(0, list.count - 1);
  const page = Math.max(1, list.pageSize);
  let next = current;
  switch (id) {
    case 'down':
      next++;
      break;
    case 'up':
      next--;
      break;
    case 'page-down':
      next += page;
      break;
    case 'page-up':
      next -= page;
      break;
    case 'top':
      next = 0;
      break;
    case 'bottom':
      next = last;
      break;
    default:
  }
  return Math.min(last, Math.max(0, next));
}

/** First visible row so that the selection stays on screen, moving the window as little as possible. */
export function windowTop(selected: number, top: number, height: number, count: number): number {
  let t = top;
  if (selected < t) t = selected;
  if (selected >= t + height) t = selected - height + 1;
  return Math.max(0, Math.min(t, Math.max(0, count - height)));
}

/** Selection and window after a movement, both clamped: one update per key, not two. */
export function moveSelection(pos: {selected: number; top: number}, list: ListModel, id: string): {selected: number; top: number} {
  const selected = move(pos.selected, list, id);
  return {selected, top: windowTop(selected, pos.top, list.pageSize, list.count)};
}
