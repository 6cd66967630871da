/**
 * The connection to the extension host when the app runs inside a VS Code webview. In the
 * standalone HTML export there is no host: `connectToHost` returns undefined and the app hides
 * the actions that need one (export, open file, reveal run).
 */
import type { ReportViewState, WebviewToHost } from './protocol';
import { parseViewState } from './protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

export interface Host {
  post(message: WebviewToHost): void;
  savedState(): ReportViewState | undefined;
  saveState(state: ReportViewState): void;
}

export function connectToHost(): Host | undefined {
  const acquire = (globalThis as { acquireVsCodeApi?: () => VsCodeApi }).acquireVsCodeApi;
  if (typeof acquire !== 'function') return undefined;
  const api = acquire(); // may be called only once per page
  return {
    post: (message) => api.postMessage(message),
    savedState: () => parseViewState(api.getState()),
    saveState: (state) => api.setState(state),
  };
}
