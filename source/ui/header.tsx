import React from 'react';
import {Box, Text} from 'ink';
import {useStore} from '../store/store.js';
import {socketPath} from '../data/grpc/connection.js';
import {safeText} from '../data/text/sanitize.js';

function sameSocket(a: string, b: string): boolean {
  return (socketPath(a) ?? a) === (socketPath(b) ?? b);
}
import type {AppController} from '../store/app-store.js';
import type {ConnState} from '../store/app-state.js';
import type {AlarmState} from '../store/etcd-alarms.js';

const selectConnections = (s: ReturnType<AppController['connections']['getState']>) => s;
const selectNamespace = (s: ReturnType<AppController['ui']['getState']>) => s.namespace;

const selectAlarms = (s: AlarmState) => s.alarms;

/** "NOSPACE (member 8e9e05c52164694d)", one per alarm; the IDs are hex digits, the type a daemon's word. */
function alarmText(alarms: AlarmState['alarms']): string {
  return alarms.map((a) => `${safeText(a.alarm)} (member ${safeText(a.memberId)})`).join(', ');
}

function Conn({name, state, where, alarm}: {name: string; state: ConnState; where: string; alarm?: string}) {
  const mark = state.status === 'up' ? '●' : state.status === 'down' ? '✗' : '…';
  const color = state.status === 'up' ? 'green' : state.status === 'down' ? 'red' : 'yellow';
  const text =
    state.status === 'up' ? `${state.version ?? ''} ${where}` : state.status === 'down' ? `down: ${state.error ?? where}` : `connecting ${where}`;
  return (
    <Text wrap="truncate-end">
      <Text color="cyan">{name}:</Text> <Text color={color}>{mark}</Text>{' '}
      {alarm ? (
        <Text bold inverse color="red">
          {` ALARM ${alarm} `}
        </Text>
      ) : null}
      {alarm ? ' ' : ''}
      {text}
    </Text>
  );
}

/** The app re-renders for every age tick and sample; the header reads its own stores, so it is drawn only when they change. */
export const Header = React.memo(HeaderLines);

function HeaderLines({app, version}: {app: AppController; version: string}) {
  const conns = useStore(app.connections, selectConnections);
  const namespace = useStore(app.ui, selectNamespace);
  const alarms = useStore(app.health.alarms.store, selectAlarms);
  const {config} = app.ctx;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color="magenta">undock</Text> {version}
        {'  '}
        {config.context ? (
          <>
            <Text color="cyan">context:</Text> <Text bold>{config.context}</Text>
            {'  '}
          </>
        ) : null}
        <Text color="cyan">namespace:</Text> <Text bold>{safeText(namespace)}</Text>
        {config.readonly ? <Text color="yellow">  [readonly]</Text> : null}
      </Text>
      <Conn name="containerd" state={conns.containerd} where={config.address} />
      <Conn name="CRI" state={conns.cri} where={sameSocket(config.runtimeEndpoint, config.address) ? '(same socket)' : config.runtimeEndpoint} />
      <Conn name="etcd" state={conns.etcd} where={app.ctx.etcd.endpoints.join(',')} alarm={alarms.length ? alarmText(alarms) : undefined} />
    </Box>
  );
}
