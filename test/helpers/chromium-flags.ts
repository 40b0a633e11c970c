// Debian's Chromium, and the flags every run of it here needs (DESIGN.md): headless, no sandbox
// (root), no background networking (the network is closed), and plain IP host candidates for
// WebRTC instead of mDNS names.
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_BASE_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--enable-precise-memory-info', // performance.memory unquantized
];
