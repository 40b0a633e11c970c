// Headers on everything the gateway serves: the page, its scripts and workers, /config.json and
// every error. The Content-Security-Policy fits the app: code and connections only from the
// gateway's own origin (the WebSocket to /signal included: CSP 3's 'self' covers ws/wss of the
// same host), media and downloads from blob: URLs the page makes, inline style attributes (Lit
// templates set widths), no plugins, no <base>, and no framing by any site.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // WebAssembly compiles (MSE's RC4 loop, shared/mse/rc4-wasm.ts); 'wasm-unsafe-eval' allows only
  // that, not eval of JavaScript.
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Old links carried the token in the URL: never leak a URL through Referer.
    'referrer-policy': 'no-referrer',
    // Cross-origin isolation: the app loads nothing from other origins, and isolation lets the
    // page measure its memory, workers included (performance.measureUserAgentSpecificMemory).
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'cross-origin-resource-policy': 'same-origin',
  };
}
