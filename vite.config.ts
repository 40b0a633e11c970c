// Vite: the app is index.html at the repo root (loads web/main.ts, which starts the engine
// worker). `npm run build` writes dist/, which the gateway serves. The dev server proxies the
// gateway's /signal WebSocket, /config.json and the sign-in visit (`/?token=…`, answered with the
// cookie and a redirect) so the page and the gateway look like one origin.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const SERVICE_WORKER_SOURCE = fileURLToPath(new URL('web/stream/service-worker.ts', import.meta.url));

/** The dev server answers /sw.js with the service worker's source (a build writes dist/sw.js). */
function serviceWorkerInDev(): Plugin {
  return {
    name: 'tabtorrent-service-worker-in-dev',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url === '/sw.js') req.url = '/web/stream/service-worker.ts';
        next();
      });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      // The service worker must sit at the root (its scope is the whole app) under a fixed name.
      input: { index: fileURLToPath(new URL('index.html', import.meta.url)), sw: SERVICE_WORKER_SOURCE },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
  plugins: [serviceWorkerInDev()],
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
