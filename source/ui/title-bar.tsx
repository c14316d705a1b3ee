import React from 'react';
import {Text} from 'ink';
import stringWidth from 'string-width';
import {safeText} from '../data/text/sanitize.js';

/** A view's title centred in a rule across the width, as k9s draws it; sanitised (titles quote names from daemons). */
export function TitleBar({title: raw, width, color = 'cyan'}: {title: string; width: number; color?: string}) {
  const title = safeText(raw);
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
