/**
 * Colours for charts, read from the VS Code theme's CSS variables at render time (a canvas cannot use
 * CSS variables directly). The fallbacks are for the standalone HTML export, light or dark.
 */
import type { ModelRole } from '../src/engine/report/schema';

type Split = 'forget' | 'retain' | 'test' | 'validation';

export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  font: string;
  roles: Record<ModelRole, string>;
  splits: Record<Split, string>;
}

function cssVariable(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

export function prefersDark(): boolean {
  const body = document.body.classList;
  if (body.contains('vscode-light') || body.contains('vscode-high-contrast-light')) return false;
  if (body.contains('vscode-dark') || body.contains('vscode-high-contrast')) return true;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

export function readChartTheme(): ChartTheme {
  const dark = prefersDark();
  const blue = cssVariable('--vscode-charts-blue', dark ? '#3794ff' : '#1a85ff');
  const orange = cssVariable('--vscode-charts-orange', dark ? '#d18616' : '#d18616');
  const green = cssVariable('--vscode-charts-green', dark ? '#89d185' : '#388a34');
  const red = cssVariable('--vscode-charts-red', dark ? '#f14c4c' : '#e51400');
  const purple = cssVariable('--vscode-charts-purple', dark ? '#b180d7' : '#652d90');
  return {
    foreground: cssVariable('--vscode-foreground', dark ? '#cccccc' : '#3b3b3b'),
    muted: cssVariable('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#6f6f6f'),
    grid: cssVariable('--vscode-charts-lines', dark ? 'rgba(204,204,204,0.18)' : 'rgba(59,59,59,0.14)'),
    font: cssVariable('--vscode-font-family', 'system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif'),
    roles: { original: blue, unlearned: orange, reference: green },
    splits: { forget: red, retain: blue, test: green, validation: purple },
  };
}

/** The same colour with an alpha channel, for filled areas under overlaid lines. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/i.exec(color.trim());
  if (rgb) {
    const [r, g, b] = rgb[1].split(/[ ,/]+/);
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return color;
}
