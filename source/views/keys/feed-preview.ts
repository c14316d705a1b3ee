import type {EtcdClient} from '../../data/etcd/client.js';
import {getValue} from '../../data/etcd/keys.js';
import {errorLine} from '../../data/errors.js';
import {describeValue, type ValueDescription} from '../../data/values/decode.js';
import {createStore, type Store} from '../../store/store.js';
import {fromLatin1, type KeyInfo} from './tree-model.js';

export interface PreviewState {
  key?: string;
  loading: boolean;
  value?: Buffer;
  description?: ValueDescription;
  info?: KeyInfo;
  error?: string;
}

/** The preview shows a screenful: this much decoded text is plenty, and keeps a 1.5 MiB value cheap. */
export const PREVIEW_TEXT_BYTES = 16 * 1024;
/**
 * A selection that moved again within this time is moving (a held key): its value is read once it
 * rests this long, not for every row passed over (each read is a frame, and a frame drawn just
 * before the next key press makes that press wait for Ink's next frame).
 */
export const SETTLE_MS = 100;

/**
 * What the preview draws for the selected leaf: the preview of that very key, else its name with
 * "loading" (derived here, in the frame that moves the selection: nothing of another key's value).
 */
export function shownPreview(preview: PreviewState, leaf: string | undefined): PreviewState | undefined {
  if (leaf === undefined) return undefined;
  return preview.key === leaf ? preview : {key: leaf, loading: true};
}

/** The selected leaf's value: read when selected (once the selection rests), then kept current by the watch. */
export class KeyPreview {
  readonly store: Store<PreviewState> = createStore<PreviewState>({loading: false});
  /** The leaf selected: its value is in the store, or being read. */
  wanted?: string;
  private seq = 0;
  private timer?: NodeJS.Timeout;
  private lastSelect = -Infinity;

  constructor(
    private readonly client: EtcdClient,
    private readonly infoOf: (key: string) => KeyInfo | undefined,
    private readonly sizes: Map<string, number>,
  ) {}

  select(key: string | undefined, v2Value?: () => Buffer | undefined): void {
    if (key === this.wanted) return;
    this.wanted = key;
    clearTimeout(this.timer);
    const seq = ++this.seq;
    if (key === undefined) {
      this.store.setState({key: undefined, loading: false, value: undefined, description: undefined, error: undefined});
      return;
    }
    if (v2Value) {
      this.show(key, v2Value(), true);
      return;
    }
    const now = performance.now();
    const moving = now - this.lastSelect < SETTLE_MS;
    this.lastSelect = now;
    if (!moving) this.read(key, seq);
    else {
      this.timer = setTimeout(() => this.read(key, seq), SETTLE_MS);
      this.timer.unref();
    }
  }

  private read(key: string, seq: number): void {
    if (seq !== this.seq) return;
    getValue(this.client, fromLatin1(key)).then(
      (kv) => seq === this.seq && this.show(key, kv?.value, false),
      (err) => seq === this.seq && this.store.setState({key, loading: false, value: undefined, description: undefined, info: undefined, error: errorLine(err)}),
    );
  }

  /** The wanted key's value (a watch event's, or a listing's: `fromWatch` drops a read still out). */
  show(key: string, value: Buffer | undefined, fromWatch: boolean): void {
    if (fromWatch) this.seq++;
    if (value === undefined) {
      this.store.setState({key, loading: false, value: undefined, description: undefined, info: undefined, error: 'the key no longer exists'});
      return;
    }
    this.sizes.set(key, value.length);
    this.store.setState({key, loading: false, value, description: describeValue(value, {maxTextBytes: PREVIEW_TEXT_BYTES}), info: this.infoOf(key), error: undefined});
  }

  stop(): void {
    clearTimeout(this.timer);
    this.seq++;
  }
}
