// libdatachannel as the offerer sometimes fails DTLS ("certificate verify failed") when the
// gateway's ICE checks complete before the answer is fully applied: about 1 connection in 30 on
// a loaded 2-core machine. A browser tab falls back and reconnects; a Node peer in the tests
// negotiates again.
const WEBRTC_ATTEMPTS = 3;

/** Runs `connect` until it resolves, at most WEBRTC_ATTEMPTS times; the last failure is thrown. */
export async function withWebRtcRetries<T>(connect: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      if (attempt >= WEBRTC_ATTEMPTS) throw error;
      console.warn(`WebRTC attempt ${attempt} failed (${(error as Error).message}); trying again`);
    }
  }
}
