/**
 * Colours for charts, read from the theme's CSS variables at render time (a canvas cannot use CSS
 * variables). Inside VS Code they come from the current theme; in the HTML export the report's
 * stylesheet defines them. The fallbacks only guard against a theme that leaves one undefined.
 */
import type { ModelRole } from '../src/engine/contracts/report';

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
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function readChartTheme(): ChartTheme {
  const blue = cssVariable('--vscode-charts-blue', '#3794ff');
  const orange = cssVariable('--vscode-charts-orange', '#d18616');
  const green = cssVariable('--vscode-charts-green', '#388a34');
  const red = cssVariable('--vscode-charts-red', '#e51400');
  const purple = cssVariable('--vscode-charts-purple', '#b180d7');
  return {
    foreground: cssVariable('--vscode-charts-foreground', cssVariable('--vscode-foreground', '#808080')),
    muted: cssVariable('--vscode-descriptionForeground', '#808080'),
    grid: cssVariable('--vscode-charts-lines', 'rgba(128, 128, 128, 0.2)'),
    font: cssVariable('--vscode-font-family', 'sans-serif'),
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
