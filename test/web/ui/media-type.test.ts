import { describe, expect, it } from 'vitest';
import { mediaErrorText, mediaTypeOf, playableType } from '../../../web/ui/media-type.ts';

describe('mediaTypeOf', () => {
  it('knows common audio and video extensions, in any case, and nothing else', () => {
    expect(mediaTypeOf('dir/Movie.MP4')).toEqual({ kind: 'video', mime: 'video/mp4' });
    expect(mediaTypeOf('song.flac')).toEqual({ kind: 'audio', mime: 'audio/flac' });
    expect(mediaTypeOf('a.tar.webm')?.kind).toBe('video');
    expect(mediaTypeOf('notes.txt')).toBeUndefined();
    expect(mediaTypeOf('mp4')).toBeUndefined();
    expect(mediaTypeOf('archive.mp4.exe')).toBeUndefined();
  });

  it('claims nothing playable without a DOM to ask (Node)', () => {
    expect(playableType('movie.mp4')).toBeUndefined();
  });
});

describe('mediaErrorText', () => {
  it('says what a media element’s error code means, with the browser’s message', () => {
    expect(mediaErrorText({ code: 4, message: '' })).toBe('this browser cannot play this file, or it could not be read');
    expect(mediaErrorText({ code: 3, message: 'PIPELINE_ERROR_DECODE' })).toMatch(/^the file could not be decoded .*\(PIPELINE_ERROR_DECODE\)$/);
    expect(mediaErrorText({ code: 2, message: '' })).toBe('the data stopped arriving');
    expect(mediaErrorText(null)).toBe('it could not be played');
  });
});
