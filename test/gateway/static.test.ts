import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../../gateway/gateway.ts';
import { resolveStaticPath } from '../../gateway/static.ts';

let gateway: RunningGateway;
let empty: RunningGateway;
let dir: string;

beforeAll(async () => {
  const top = mkdtempSync(join(tmpdir(), 'gw-static-'));
  dir = join(top, 'dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'x.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(join(dir, 'icon.svg'), '<svg/>');
  writeFileSync(join(top, 'secret.txt'), 'secret');
  symlinkSync(join(top, 'secret.txt'), join(dir, 'link.txt'));
  gateway = await startGateway({ port: 0, peerPort: 0, staticDir: dir });
  empty = await startGateway({ port: 0, peerPort: 0, staticDir: join(top, 'missing') });
});
afterAll(async () => {
  await gateway.close();
  await empty.close();
});

function get(g: RunningGateway, path: string): Promise<{ status: number; type?: string; nosniff?: string; csp?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: g.port, path }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'],
          nosniff: res.headers['x-content-type-options'] as string | undefined,
          csp: res.headers['content-security-policy'] as string | undefined,
          body: Buffer.concat(parts).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files', () => {
  it('serves index.html at / and assets with their MIME types', async () => {
    const index = await get(gateway, '/');
    expect(index).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', nosniff: 'nosniff' });
    expect(index.body).toContain('<title>app</title>');
    expect((await get(gateway, '/assets/app.js')).type).toBe('text/javascript; charset=utf-8');
    expect((await get(gateway, '/assets/app.css')).type).toBe('text/css; charset=utf-8');
    expect((await get(gateway, '/assets/x.wasm')).type).toBe('application/wasm');
    expect((await get(gateway, '/icon.svg')).type).toBe('image/svg+xml');
  });

  it('answers 404 for missing files and refuses traversal', async () => {
    expect((await get(gateway, '/nope.js')).status).toBe(404);
    expect((await get(gateway, '/../secret.txt')).status).toBe(404);
    expect((await get(gateway, '/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get(gateway, '/assets/%2e%2e%2f%2e%2e%2fsecret.txt')).status).toBe(404);
    expect((await get(gateway, '/link.txt')).status).toBe(404); // symlink out of the root
    expect(resolveStaticPath('/srv/dist', '/../etc/passwd')).toBeNull();
    expect(resolveStaticPath('/srv/dist', '/%00')).toBeNull();
    expect(resolveStaticPath('/srv/dist', '/a/b.js')).toBe('/srv/dist/a/b.js');
  });

  it('sends the Content-Security-Policy with every page, script and error', async () => {
    for (const path of ['/', '/assets/app.js', '/nope.js', '/config.json']) {
      const csp = (await get(gateway, path)).csp ?? '';
      expect(csp, path).toContain("script-src 'self' 'wasm-unsafe-eval'"); // RC4's WebAssembly loop, no eval
      expect(csp, path).toContain("connect-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
    }
  });

  it('answers malformed request targets with 400', async () => {
    expect((await get(gateway, '//')).status).toBe(400);
    expect((await get(gateway, '//evil.example/x')).status).toBe(400);
  });

  it('says to run npm run build when the app is not built', async () => {
    const page = await get(empty, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('npm run build');
    expect((await get(empty, '/assets/app.js')).status).toBe(404);
  });
});
