import {useCallback, useRef, useSyncExternalStore} from 'react';

export interface Store<S> {
  getState(): S;
  setState(update: Partial<S> | ((s: S) => Partial<S>)): void;
  subscribe(listener: () => void): () => void;
}

/** A plain store: views subscribe through useStore with a selector, so unrelated updates do not re-render them. */
export function createStore<S extends object>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    setState(update) {
      const patch = typeof update === 'function' ? update(state) : update;
      let changed = false;
      for (const k of Object.keys(patch) as (keyof S)[]) {
        if (!Object.is(state[k], patch[k])) changed = true;
      }
      if (!changed) return;
      state = {...state, ...patch};
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Reads a slice of a store; re-renders only when the slice changes (shallowly for plain objects and arrays). */
export function useStore<S extends object, T>(store: Store<S>, selector: (s: S) => T): T {
  const last = useRef<{value: T} | undefined>(undefined);
  const get = useCallback(() => {
    const next = selector(store.getState());
    if (last.current && shallowEqual(last.current.value, next)) return last.current.value;
    last.current = {value: next};
    return next;
  }, [store, selector]);
  return useSyncExternalStore(store.subscribe, get, get);
}

export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
