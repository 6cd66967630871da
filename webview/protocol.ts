/**
 * Messages between the report panel's host (extension) and the report app (webview).
 * Shared by both sides; the host validates every message it receives with `parseWebviewMessage`,
 * because a webview is untrusted input as far as the extension host is concerned.
 */
import type { Report } from '../src/engine/contracts/report';

/** Host → app. `reportPath` is kept in the webview's state so the panel can be restored after a reload. */
export type HostToWebview = { type: 'report'; report: Report; reportPath: string };

/** App → host. */
export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'export' }
  | { type: 'openFile'; path: string }
  | { type: 'revealRun' };

/** What the app stores with `setState`; the serializer receives it after a reload. */
export interface ReportViewState {
  reportPath: string;
  differencesOnly: boolean;
}

/** Id of the `<script type="application/json">` that carries the report in the standalone HTML export. */
export const EMBEDDED_REPORT_ELEMENT_ID = 'lethe-report';

const MAX_PATH_LENGTH = 4096;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasExactKeys(value: Record<string, unknown>, keys: string[]): boolean {
  const actual = Object.keys(value);
  return actual.length === keys.length && keys.every((k) => Object.prototype.hasOwnProperty.call(value, k));
}

/**
 * Returns the message if it is exactly one of the `WebviewToHost` shapes (no extra keys), else undefined.
 * A fresh object is returned so nothing else the webview attached can travel further.
 */
export function parseWebviewMessage(message: unknown): WebviewToHost | undefined {
  if (!isPlainObject(message)) return undefined;
  switch (message.type) {
    case 'ready':
    case 'export':
    case 'revealRun':
      return hasExactKeys(message, ['type']) ? { type: message.type } : undefined;
    case 'openFile': {
      const path = message.path;
      const valid =
        hasExactKeys(message, ['type', 'path']) &&
        typeof path === 'string' &&
        path.length > 0 &&
        path.length <= MAX_PATH_LENGTH &&
        !path.includes('\0');
      return valid ? { type: 'openFile', path } : undefined;
    }
    default:
      return undefined;
  }
}

/** Returns the saved view state if it has the expected shape (used by the serializer after a reload). */
export function parseViewState(state: unknown): ReportViewState | undefined {
  if (!isPlainObject(state)) return undefined;
  const { reportPath, differencesOnly } = state;
  if (typeof reportPath !== 'string' || reportPath.length === 0 || reportPath.length > MAX_PATH_LENGTH) return undefined;
  return { reportPath, differencesOnly: differencesOnly === true };
}

/** The app's check on what the host sends: only the type tag and the presence of a report are checked. */
export function isHostToWebview(message: unknown): message is HostToWebview {
  return (
    isPlainObject(message) &&
    message.type === 'report' &&
    isPlainObject(message.report) &&
    typeof message.reportPath === 'string'
  );
}
