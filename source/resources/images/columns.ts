import {ageColumn, formatBytes, shortDigest} from '../format.js';
import type {Column} from '../types.js';
import type {ImageRow} from './source.js';

export const imageColumns: Column<ImageRow>[] = [
  {id: 'name', header: 'NAME', sortKey: 'N', grow: true, cell: (r) => r.repository},
  // In k8s.io every tag of the image, comma-separated; `<none>` only for an image without one.
  {id: 'tag', header: 'TAG', sortKey: 'T', cell: (r) => r.tag || '<none>'},
  {id: 'digest', header: 'DIGEST', cell: (r) => shortDigest(r.digest)},
  {
    id: 'size',
    header: 'SIZE',
    sortKey: 'S',
    align: 'right',
    cell: (r) => formatBytes(r.size) + (r.incomplete ? '+' : ''),
    sortValue: (r) => r.size ?? -1,
  },
  {id: 'platforms', header: 'PLATFORMS', sortKey: 'P', cell: (r) => r.platforms.join(',') || '-'},
  ageColumn((r) => r.createdAt),
];
