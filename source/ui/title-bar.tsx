import React from 'react';
import {Text} from 'ink';
import stringWidth from 'string-width';
import type {ViewMetrics} from '../keys/dispatch.js';
import type {AppController} from '../store/app-store.js';

/** What every view component is given: the app, its frame, its box, and where to publish its metrics for the keys. */
export interface ViewProps<F> {
  app: AppController;
  frame: F;
  width: number;
  height: number;
  metricsRef: React.MutableRefObject<ViewMetrics>;
}

/** A view's title centred in a rule across the width, as k9s draws it. */
export function TitleBar({title, width, color = 'cyan'}: {title: string; width: number; color?: string}) {
  const rule = '─'.repeat(Math.max(0, Math.floor((width - stringWidth(title)) / 2)));
  return (
    <Text color="cyan" wrap="truncate-end">
      {rule}
      <Text bold color={color}>
        {title}
      </Text>
      {rule}
    </Text>
  );
}
