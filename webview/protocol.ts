/**
 * Messages between the report panel's host (extension) and the report app (webview), and the state the
 * app keeps across reloads. Owned here, by the app; the host imports it and validates every message it
 * receives with its own zod schema (src/extension/report/webviewMessages.ts), because a webview is
 * untrusted input as far as the extension host is concerned. The checks in this file run inside the
 * app, so they stay free of zod: it would more than double the app's bundle.
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

/** Longest path either side accepts in a message or the saved state. */
export const MAX_PATH_LENGTH = 4096;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Returns the saved view state if it has the expected shape. Read by the app itself after every reload
 * and by the host's serializer, which gets the same state back from VS Code.
 */
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
