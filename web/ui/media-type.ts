// Which files the tab can play itself: by extension, then asking the browser whether it decodes
// that type (Chromium plays mp4/webm/mp3/ogg/flac/wav; most .mkv and .avi it does not); and a
// media element's error in words.

export interface MediaType {
  kind: 'video' | 'audio';
  mime: string;
}

const BY_EXTENSION: Record<string, MediaType> = {
  mp4: { kind: 'video', mime: 'video/mp4' },
  m4v: { kind: 'video', mime: 'video/mp4' },
  webm: { kind: 'video', mime: 'video/webm' },
  ogv: { kind: 'video', mime: 'video/ogg' },
  mov: { kind: 'video', mime: 'video/quicktime' },
  mkv: { kind: 'video', mime: 'video/x-matroska' },
  mp3: { kind: 'audio', mime: 'audio/mpeg' },
  m4a: { kind: 'audio', mime: 'audio/mp4' },
  aac: { kind: 'audio', mime: 'audio/aac' },
  ogg: { kind: 'audio', mime: 'audio/ogg' },
  oga: { kind: 'audio', mime: 'audio/ogg' },
  opus: { kind: 'audio', mime: 'audio/ogg; codecs=opus' },
  flac: { kind: 'audio', mime: 'audio/flac' },
  wav: { kind: 'audio', mime: 'audio/wav' },
};

export function mediaTypeOf(path: string): MediaType | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION[path.slice(dot + 1).toLowerCase()];
}

const answers = new Map<string, boolean>();

/** The file's media type if this browser says it can play it. */
export function playableType(path: string): MediaType | undefined {
  const type = mediaTypeOf(path);
  if (!type || typeof document === 'undefined') return undefined;
  let playable = answers.get(type.mime);
  if (playable === undefined) {
    playable = document.createElement(type.kind).canPlayType(type.mime) !== '';
    answers.set(type.mime, playable);
  }
  return playable ? type : undefined;
}

/** MediaError codes (HTML: MediaError.MEDIA_ERR_*), in words. */
const MEDIA_ERROR_TEXT: Record<number, string> = {
  1: 'loading was stopped',
  2: 'the data stopped arriving',
  3: 'the file could not be decoded (damaged, or a format this browser does not play)',
  4: 'this browser cannot play this file, or it could not be read',
};

/** A media element's error in words for the user. */
export function mediaErrorText(error: Pick<MediaError, 'code' | 'message'> | null): string {
  if (!error) return 'it could not be played';
  const words = MEDIA_ERROR_TEXT[error.code] ?? 'it could not be played';
  return error.message ? `${words} (${error.message})` : words;
}
