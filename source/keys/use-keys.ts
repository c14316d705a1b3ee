import {useEffect, useRef} from 'react';
import {useStdin} from 'ink';
import {parseKeys, type KeyPress} from './parse.js';

/**
 * The one input owner: takes raw chunks from Ink's stdin and hands them on key by key, so a
 * pasted "jjj" moves three rows. Routing by priority (dialog > prompt > pane > global) is the
 * handler's job.
 */
export function useKeys(handler: (key: KeyPress) => void, active = true): void {
  const {setRawMode, isRawModeSupported, internal_eventEmitter} = useStdin();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!active) return;
    if (isRawModeSupported) setRawMode(true);
    const onInput = (chunk: string | Buffer) => {
      for (const key of parseKeys(chunk.toString())) ref.current(key);
    };
    internal_eventEmitter?.on('input', onInput);
    return () => {
      internal_eventEmitter?.removeListener('input', onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [active, setRawMode, isRawModeSupported, internal_eventEmitter]);
}
