import {sameNamespace} from '../event-scope.js';
import type {ResourceDef} from '../types.js';
import {imageActions} from './actions.js';
import {imageColumns} from './columns.js';
import {loadImages, type ImageRow} from './source.js';

export const images: ResourceDef<ImageRow> = {
  id: 'images',
  title: 'Images',
  aliases: ['img', 'i', 'image'],
  daemon: 'containerd',
  namespaced: true,
  followsEvents: sameNamespace,
  columns: imageColumns,
  defaultSort: {column: 'name'},
  rowKey: (r) => r.ref,
  labels: (r) => r.labels,
  load: (ctx, scope) => loadImages(ctx, scope.namespace),
  actions: imageActions,
};
