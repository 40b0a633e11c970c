// The targets in the log (not the JSON line): issue 7's throughput targets as ratios of the same
// run's figures, and the streaming latencies of issue "Watch while it downloads" as bounds in ms.
// Each line says its value, its bound, and whether it is met; a missing figure is '?'.
// A figure is absent when its part of the bench did not run (BENCH_ONLY), null when it failed.
export interface TargetFigures {
  aria2c_MBps?: number | null;
  ours_ws_MBps?: number | null;
  channel_MBps?: number | null;
  browser_MBps?: number | null;
  browser_ws_MBps?: number | null;
  tab_ceiling_ws_MBps?: number | null;
  webtorrent_tab_MBps?: number | null;
  stream_first_frame_ms?: number | null;
  stream_seek_ms?: number | null;
  utp_MBps?: number | null;
  libtorrent_utp_MBps?: number | null;
  encrypted_MBps?: number | null;
  magnet_to_metadata_ms?: number | null;
  magnet_to_first_piece_ms?: number | null;
}

export type StreamTargetFigures = Pick<TargetFigures, 'stream_first_frame_ms' | 'stream_seek_ms'>;
type LatencyFigures = Pick<TargetFigures, 'stream_first_frame_ms' | 'stream_seek_ms' | 'magnet_to_metadata_ms' | 'magnet_to_first_piece_ms'>;

interface RatioTarget {
  name: string;
  value: number | null | undefined;
  of: number | null | undefined;
  atLeast: number;
}

interface LatencyTarget {
  name: keyof LatencyFigures;
  atMostMs: number;
}

const LATENCY_TARGETS: readonly LatencyTarget[] = [
  { name: 'stream_first_frame_ms', atMostMs: 2000 },
  { name: 'stream_seek_ms', atMostMs: 1000 },
];

const MAGNET_TARGETS: readonly LatencyTarget[] = [
  { name: 'magnet_to_metadata_ms', atMostMs: 500 },
  { name: 'magnet_to_first_piece_ms', atMostMs: 1000 },
];

export function targetLines(figures: TargetFigures): string[] {
  const targets: RatioTarget[] = [
    { name: 'browser_ws_MBps / tab_ceiling_ws_MBps', value: figures.browser_ws_MBps, of: figures.tab_ceiling_ws_MBps, atLeast: 0.8 },
    { name: 'browser_MBps / channel_MBps', value: figures.browser_MBps, of: figures.channel_MBps, atLeast: 0.8 },
    { name: 'browser_MBps / webtorrent_tab_MBps', value: figures.browser_MBps, of: figures.webtorrent_tab_MBps, atLeast: 1 },
    { name: 'ours_ws_MBps / aria2c_MBps', value: figures.ours_ws_MBps, of: figures.aria2c_MBps, atLeast: 0.8 },
    { name: 'utp_MBps / libtorrent_utp_MBps', value: figures.utp_MBps, of: figures.libtorrent_utp_MBps, atLeast: 1 },
    { name: 'encrypted_MBps / ours_ws_MBps', value: figures.encrypted_MBps, of: figures.ours_ws_MBps, atLeast: 0.9 },
  ];
  const ratios = targets.map(({ name, value, of, atLeast }) => {
    if (value == null || of == null || of <= 0) return `target ${name} ≥ ${atLeast}: ? (a figure is missing)`;
    const ratio = value / of;
    return `target ${name} ≥ ${atLeast}: ${ratio.toFixed(2)} — ${ratio >= atLeast ? 'met' : 'missed'}`;
  });
  return [...ratios, ...streamTargetLines(figures), ...latencyLines(MAGNET_TARGETS, figures)];
}

export function streamTargetLines(figures: StreamTargetFigures): string[] {
  return latencyLines(LATENCY_TARGETS, figures);
}

function latencyLines(targets: readonly LatencyTarget[], figures: LatencyFigures): string[] {
  return targets.map(({ name, atMostMs }) => {
    const value = figures[name];
    if (value == null) return `target ${name} ≤ ${atMostMs}: ? (the figure is missing)`;
    return `target ${name} ≤ ${atMostMs}: ${value} — ${value <= atMostMs ? 'met' : 'missed'}`;
  });
}
