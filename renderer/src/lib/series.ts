// One line on a LineChart.
export interface Series {
  label: string;
  /** Which theme colour: 1–4. */
  colour: 1 | 2 | 3 | 4;
  points: { x: number; y: number }[];
  /** 'y2' draws against the right-hand axis. */
  axis?: 'y' | 'y2';
  dashed?: boolean;
}
