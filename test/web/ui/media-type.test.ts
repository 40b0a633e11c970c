import { describe, expect, it } from 'vitest';
import { mediaTypeOf, playableType } from '../../../web/ui/media-type.ts';

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
