// Vite: the app is index.html at the repo root (loads web/main.ts, which starts the engine
// worker). `npm run build` writes dist/, which the gateway serves. The dev server proxies the
// gateway's /signal WebSocket, /config.json and the sign-in visit (`/?token=…`, answered with the
// cookie and a redirect) so the page and the gateway look like one origin.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  worker: {
    format: 'es',
  },
  server: {
    proxy: {
      '/signal': { target: gatewayUrl, ws: true, changeOrigin: true },
      '/config.json': { target: gatewayUrl, changeOrigin: true },
      '^/\\?(.*&)?token=': { target: gatewayUrl, changeOrigin: true },
    },
  },
});
