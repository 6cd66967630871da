/** A file path shown as text, and clickable (opens the file in VS Code) when a host is connected. */
import { el } from '../dom';
import type { Host } from '../host';

export function filePath(path: string, host: Host | undefined): HTMLElement {
  if (!host) return el('code', { class: 'path' }, path);
  const button = el('button', { class: 'link mono', type: 'button', title: `Open ${path}` }, path);
  button.addEventListener('click', () => host.post({ type: 'openFile', path }));
  return button;
}
