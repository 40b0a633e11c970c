import { describe, expect, it } from 'vitest';
import { originAllowed } from '../../gateway/origin-check.ts';

describe('originAllowed', () => {
  it('lets the gateway\'s own pages in: Origin host equals the Host header', () => {
    expect(originAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', [])).toBe(true);
    expect(originAllowed('https://Torrent.Example.org', 'torrent.example.org', [])).toBe(true);
  });

  it('refuses pages from other sites, other ports, and opaque origins', () => {
    expect(originAllowed('https://evil.example', 'torrent.example.org', [])).toBe(false);
    expect(originAllowed('http://127.0.0.1:5173', '127.0.0.1:8080', [])).toBe(false);
    expect(originAllowed('null', '127.0.0.1:8080', [])).toBe(false);
    expect(originAllowed('https://evil.example', undefined, [])).toBe(false);
  });

  it('lets listed origins in, or any with "*"', () => {
    expect(originAllowed('http://127.0.0.1:5173', '127.0.0.1:8080', ['http://127.0.0.1:5173'])).toBe(true);
    expect(originAllowed('https://evil.example', '127.0.0.1:8080', ['http://127.0.0.1:5173'])).toBe(false);
    expect(originAllowed('https://anyone.example', '127.0.0.1:8080', ['*'])).toBe(true);
  });

  it('lets clients without an Origin in (non-browser programs; the token guards them)', () => {
    expect(originAllowed(undefined, '127.0.0.1:8080', [])).toBe(true);
  });
});
