/**
 * Chart.js with only the pieces the report uses, and a registry of mounted charts so they can be
 * redrawn with fresh theme colours when VS Code switches theme.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { el } from './dom';
import { readChartTheme, type ChartTheme } from './theme';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Filler, Legend, Tooltip);

type BuildChart = (theme: ChartTheme) => ChartConfiguration;

interface Mounted {
  canvas: HTMLCanvasElement;
  build: BuildChart;
  chart?: Chart;
}

const mounted: Mounted[] = [];

/** A canvas in a sized box; the chart is drawn by `drawCharts` once the box is in the document. */
export function chartBox(label: string, build: BuildChart, size: 'normal' | 'small' = 'normal'): HTMLElement {
  const canvas = el('canvas', { role: 'img', 'aria-label': label });
  mounted.push({ canvas, build });
  return el('div', { class: `chart chart-${size}` }, canvas);
}

/** (Re)draws every chart with the theme's current colours. */
export function drawCharts(): void {
  const theme = readChartTheme();
  Chart.defaults.color = theme.foreground;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.font;
  for (const entry of mounted) {
    if (!entry.canvas.isConnected) continue;
    entry.chart?.destroy();
    entry.chart = new Chart(entry.canvas, entry.build(theme));
  }
}

/** Forgets all charts (before the whole report is re-rendered). */
export function clearCharts(): void {
  for (const entry of mounted.splice(0)) entry.chart?.destroy();
}

/** Options every report chart shares: no animation (reports are read, not watched), compact legend. */
export function baseOptions(theme: ChartTheme) {
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    plugins: {
      legend: { position: 'bottom' as const, labels: { boxWidth: 12, boxHeight: 12, color: theme.foreground } },
      tooltip: { intersect: false, mode: 'index' as const },
    },
  };
}
