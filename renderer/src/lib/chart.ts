// Chart.js, with only the pieces we draw registered (keeps the bundle small), and colours read from
// the theme's CSS variables so charts follow light and dark mode like the rest of the window.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip, Filler);
// No entry animations: live charts redraw often, and motion makes reading values harder.
Chart.defaults.animation = false;
Chart.defaults.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font-ui').trim() || 'system-ui, sans-serif';

export { Chart };

export interface ThemeColors {
  text: string;
  muted: string;
  grid: string;
  /** Bars that are not highlighted. */
  dim: string;
  accent: string;
  accent2: string;
  accent3: string;
  accent4: string;
  surface: string;
}

export function themeColors(): ThemeColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1b1f24'),
    muted: v('--text-muted', '#57606a'),
    grid: v('--chart-grid', 'rgba(0,0,0,0.1)'),
    dim: v('--chart-dim', '#b9c8e4'),
    accent: v('--chart-1', '#2f6fdd'),
    accent2: v('--chart-2', '#d9480f'),
    accent3: v('--chart-3', '#2b8a3e'),
    accent4: v('--chart-4', '#9c36b5'),
    surface: v('--surface', '#ffffff'),
  };
}

/** Calls `onChange` whenever the system switches between light and dark; returns the unsubscribe. */
export function onThemeChange(onChange: () => void): () => void {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
