// The throughput targets of issue 7 as ratios of the same run's figures, for the log (not the JSON
// line): each says its ratio, its bound, and whether it is met; a ratio with a missing figure is '?'.
export interface TargetFigures {
  aria2c_MBps: number | null;
  ours_ws_MBps: number | null;
  channel_MBps: number | null;
  browser_MBps: number | null;
  browser_ws_MBps: number | null;
  tab_ceiling_ws_MBps: number | null;
  webtorrent_tab_MBps: number | null;
}

interface Target {
  name: string;
  value: number | null;
  of: number | null;
  atLeast: number;
}

export function targetLines(figures: TargetFigures): string[] {
  const targets: Target[] = [
    { name: 'browser_ws_MBps / tab_ceiling_ws_MBps', value: figures.browser_ws_MBps, of: figures.tab_ceiling_ws_MBps, atLeast: 0.8 },
    { name: 'browser_MBps / channel_MBps', value: figures.browser_MBps, of: figures.channel_MBps, atLeast: 0.8 },
    { name: 'browser_MBps / webtorrent_tab_MBps', value: figures.browser_MBps, of: figures.webtorrent_tab_MBps, atLeast: 1 },
    { name: 'ours_ws_MBps / aria2c_MBps', value: figures.ours_ws_MBps, of: figures.aria2c_MBps, atLeast: 0.8 },
  ];
  return targets.map(({ name, value, of, atLeast }) => {
    if (value === null || of === null || of <= 0) return `target ${name} ≥ ${atLeast}: ? (a figure is missing)`;
    const ratio = value / of;
    return `target ${name} ≥ ${atLeast}: ${ratio.toFixed(2)} — ${ratio >= atLeast ? 'met' : 'missed'}`;
  });
}
