// Shared access to libtorrent's test torrents (../shared/fixtures, see its README.md).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURE_DIR = fileURLToPath(new URL('../../../../shared/fixtures/libtorrent-test-torrents/', import.meta.url));

export interface ManifestEntry {
  valid: boolean;
  libtorrent_error?: string;
}

export function readManifest(): Record<string, ManifestEntry> {
  return JSON.parse(readFileSync(`${FIXTURE_DIR}manifest.json`, 'utf8')) as Record<string, ManifestEntry>;
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.torrent')).sort();
}

export function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURE_DIR}${name}`));
}
