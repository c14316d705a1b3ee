import wrapAnsi from 'wrap-ansi';
import type {ActionResult, Daemon, FormField} from '../resources/types.js';
import type {Frame} from './frames.js';

export type ConnStatus = 'connecting' | 'up' | 'down';

export interface ConnState {
  status: ConnStatus;
  /** e.g. "1.6.20" */
  version?: string;
  error?: string;
}

export type ConnectionsState = Record<Daemon, ConnState>;

export interface ResourceState {
  rows: unknown[];
  loaded: boolean;
  /** Rows are from an earlier successful load; the last one failed. */
  stale: boolean;
  error?: string;
  /** Said after the title (the resource's titleNote), taken with each load so it changes with them. */
  note?: string;
}

export interface DialogState {
  title: string;
  lines: string[];
  confirmLabel: string;
  /** Which button has focus: cancel is the default, so a stray enter changes nothing. */
  focus: 'cancel' | 'confirm';
  run: () => Promise<ActionResult>;
}

export interface FormState {
  title: string;
  lines: string[];
  fields: FormField[];
  focus: number;
  submitLabel: string;
  submit: (values: Record<string, string>) => Promise<ActionResult>;
}

/** Whether a prompt line takes the keys: the `:` command bar or the `/` filter. */
export type Mode = 'view' | 'command' | 'filter';

export interface UiState {
  stack: Frame[];
  namespace: string;
  mode: Mode;
  input: string;
  dialog?: DialogState;
  form?: FormState;
  /** An action still running (shown in the status line; its result replaces it). */
  busy?: string;
  status?: {text: string; level: 'info' | 'error'};
  now: number;
  /** The terminal's size: views page by it. */
  size: {columns: number; rows: number};
}

const HEADER_LINES = 4;
/** A long message wraps onto at most this many lines; `:messages` has it whole. */
const MAX_STATUS_LINES = 4;

/** The status line's text as drawn: the breadcrumbs, then what runs or the last message. */
export function statusText(ui: Pick<UiState, 'stack' | 'busy' | 'status'>): {crumbs: string; message: string} {
  const crumbs = ui.stack.map((f) => ` <${f.crumb}> `).join('');
  const message = ui.busy ? `  ⟳ ${ui.busy}…` : ui.status ? `  ${ui.status.text}` : '';
  return {crumbs, message};
}

/** Lines the status takes at this width: wrapped as Ink wraps it (wrap-ansi, hard), so the pane gives way exactly. */
export function statusLines(ui: Pick<UiState, 'stack' | 'busy' | 'status' | 'size'>): number {
  const {crumbs, message} = statusText(ui);
  const lines = wrapAnsi(crumbs + message, Math.max(1, ui.size.columns), {trim: false, hard: true}).split('\n').length;
  return Math.min(MAX_STATUS_LINES, Math.max(1, lines));
}

/** The whole frame's height: one line short of the terminal (a frame as tall as it makes Ink repaint everything). */
export function frameHeight(rows: number): number {
  return Math.max(8, rows - 1);
}

/** The height left to the view: header, hints, prompt (when open) and status line take the rest. */
export function paneSize(ui: Pick<UiState, 'size' | 'mode' | 'stack' | 'busy' | 'status'>): {width: number; height: number} {
  const prompt = ui.mode === 'command' || ui.mode === 'filter' ? 1 : 0;
  return {width: ui.size.columns, height: Math.max(3, frameHeight(ui.size.rows) - HEADER_LINES - 1 - prompt - statusLines(ui))};
}
