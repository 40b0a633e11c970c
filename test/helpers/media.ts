// Test media made at test time by Debian's ffmpeg (scripts/ensure-deps.sh installs it) from lavfi
// sources, with settings that give the same bytes on every run: libvpx's 'good' deadline on one
// thread (its 'realtime' mode adapts to the clock), bitexact muxing, no metadata. What Chromium plays
// without proprietary codecs: VP8 + Opus in WebM, Opus in Ogg, MP3; and PNG.
import { stat } from 'node:fs/promises';
import { runCommand } from './proc.ts';

const FFMPEG_TIMEOUT_MS = 180_000;
const BITEXACT = ['-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact', '-map_metadata', '-1'];

export interface MadeMedia {
  path: string;
  bytes: number;
  seconds: number;
}

export interface WebmVideoOptions {
  seconds: number;
  width?: number;
  height?: number;
  fps?: number;
  /** Constant video bitrate, kbit/s (testsrc2 alone compresses to little; CBR gives a known size). */
  videoKbps?: number;
  audioKbps?: number;
  /** A keyframe this often: a seek decodes from the keyframe before its target. */
  keyframeSeconds?: number;
}

/**
 * A WebM of VP8 video (testsrc2: a moving pattern with a clock) and Opus audio (a beeping sine),
 * with its Cues (the seek index) moved in front of the clusters so a player can seek without
 * reading the file's end first. 60 s at the defaults is ~5.8 MB.
 */
export async function makeWebmVideo(path: string, options: WebmVideoOptions): Promise<MadeMedia> {
  const { seconds } = options;
  const fps = options.fps ?? 25;
  const size = `${options.width ?? 320}x${options.height ?? 240}`;
  const videoRate = `${options.videoKbps ?? 700}k`;
  await ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${fps}:duration=${seconds}`,
    '-f', 'lavfi', '-i', sine(seconds),
    '-c:v', 'libvpx', '-b:v', videoRate, '-minrate', videoRate, '-maxrate', videoRate, '-qmin', '0', '-qmax', '50',
    '-g', String(Math.round(fps * (options.keyframeSeconds ?? 1))), '-keyint_min', String(Math.round(fps * (options.keyframeSeconds ?? 1))),
    '-deadline', 'good', '-cpu-used', '5', '-threads', '1',
    '-c:a', 'libopus', '-b:a', `${options.audioKbps ?? 64}k`,
    '-cues_to_front', '1',
    ...BITEXACT, path,
  ]);
  return made(path, seconds);
}

export interface AudioOptions {
  seconds: number;
  kbps?: number;
}

/**
 * An audio file of a beeping sine at a constant bitrate, coded by the path's extension: `.opus` or
 * `.ogg` Opus in Ogg, `.webm` Opus in WebM, `.mp3` MP3. 180 s at 64 kbit/s is ~1.45 MB.
 */
export async function makeAudio(path: string, options: AudioOptions): Promise<MadeMedia> {
  if (!/\.(opus|ogg|webm|mp3)$/.test(path)) throw new Error(`makeAudio: ${path}: use .opus, .ogg, .webm or .mp3`);
  const bitrate = `${options.kbps ?? 64}k`;
  const codec = path.endsWith('.mp3')
    ? ['-c:a', 'libmp3lame', '-b:a', bitrate, '-write_xing', '0']
    : ['-c:a', 'libopus', '-b:a', bitrate, '-vbr', 'off'];
  const sampleRate = path.endsWith('.mp3') ? 44_100 : 48_000;
  await ffmpeg(['-f', 'lavfi', '-i', sine(options.seconds, sampleRate), ...codec, ...BITEXACT, path]);
  return made(path, options.seconds);
}

export interface ImageOptions {
  width?: number;
  height?: number;
}

/** A PNG of RGB noise (noise does not compress: 512×384 is ~575 KB). */
export async function makeImage(path: string, options: ImageOptions = {}): Promise<MadeMedia> {
  const size = `${options.width ?? 512}x${options.height ?? 384}`;
  await ffmpeg([
    '-f', 'lavfi', '-i', `color=c=gray:s=${size}:d=1`,
    '-vf', 'noise=alls=100:allf=u,format=rgb24', '-frames:v', '1',
    ...BITEXACT, path,
  ]);
  return made(path, 0);
}

export interface ProbedStream {
  codec: string;
  type: 'video' | 'audio' | string;
  width?: number;
  height?: number;
}

export interface ProbedMedia {
  /** The container's duration (NaN for a still image). */
  seconds: number;
  streams: ProbedStream[];
}

/** What ffprobe sees in a file. */
export async function probeMedia(path: string): Promise<ProbedMedia> {
  const { stdout } = await ffprobe(['-show_entries', 'format=duration:stream=codec_name,codec_type,width,height', '-of', 'json', path]);
  const json = JSON.parse(stdout) as {
    format?: { duration?: string };
    streams?: Array<{ codec_name: string; codec_type: string; width?: number; height?: number }>;
  };
  return {
    seconds: Number(json.format?.duration ?? NaN),
    streams: (json.streams ?? []).map((s) => ({ codec: s.codec_name, type: s.codec_type, width: s.width, height: s.height })),
  };
}

export interface Keyframe {
  seconds: number;
  /** Where the keyframe's packet starts in the file. */
  byteOffset: number;
}

/** The video keyframe a seek to `seconds` decodes from: the last one at or before it. */
export async function keyframeBefore(path: string, seconds: number): Promise<Keyframe> {
  const { stdout } = await ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts_time,pos,flags', '-of', 'csv=p=0', path]);
  let found: Keyframe | undefined;
  for (const line of stdout.split('\n')) {
    const [time, pos, flags] = line.split(',');
    if (!flags?.startsWith('K') || Number(time) > seconds) continue;
    found = { seconds: Number(time), byteOffset: Number(pos) };
  }
  if (!found) throw new Error(`keyframeBefore: no video keyframe at or before ${seconds} s in ${path}`);
  return found;
}

function sine(seconds: number, sampleRate = 48_000): string {
  return `sine=frequency=440:beep_factor=4:sample_rate=${sampleRate}:duration=${seconds}`;
}

async function made(path: string, seconds: number): Promise<MadeMedia> {
  return { path, bytes: (await stat(path)).size, seconds };
}

function ffmpeg(args: string[]): Promise<{ stdout: string }> {
  return tool('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-y', ...args]);
}

function ffprobe(args: string[]): Promise<{ stdout: string }> {
  return tool('ffprobe', ['-v', 'error', ...args]);
}

async function tool(name: 'ffmpeg' | 'ffprobe', args: string[]): Promise<{ stdout: string }> {
  try {
    return await runCommand(name, args, { label: name, timeoutMs: FFMPEG_TIMEOUT_MS });
  } catch (err) {
    const message = (err as Error).message;
    if (/ENOENT/.test(message)) throw new Error(`${name} is not installed: run scripts/ensure-deps.sh (Debian's ffmpeg)`);
    throw err;
  }
}
