// A preview played while it renders: the server's stream of the growing fragmented MP4 fed to
// the player through Media Source Extensions, so the first frames show as soon as the first
// fragment is written instead of when the whole file is done.

/** Index of the top-level MP4 box `type` in `bytes` once it is complete there, else -1. */
function completeBox(bytes, type) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos + 8 <= bytes.length) {
    const size = view.getUint32(pos);
    const kind = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (size < 8) return -1;
    if (kind === type) return pos + size <= bytes.length ? pos : -1;
    pos += size;
  }
  return -1;
}

function indexOf(bytes, text, from = 0) {
  const codes = [...text].map((c) => c.charCodeAt(0));
  outer: for (let i = from; i + codes.length <= bytes.length; i++) {
    for (let j = 0; j < codes.length; j++) if (bytes[i + j] !== codes[j]) continue outer;
    return i;
  }
  return -1;
}

/** The MSE codecs of a stream from its index (`moov`): H.264 from `avcC`, AAC when there is sound. */
export function codecsOf(bytes) {
  const moov = completeBox(bytes, "moov");
  if (moov < 0) return null;
  const avcc = indexOf(bytes, "avcC", moov);
  if (avcc < 0) return null;
  const hex = (x) => x.toString(16).padStart(2, "0");
  const video = `avc1.${hex(bytes[avcc + 5])}${hex(bytes[avcc + 6])}${hex(bytes[avcc + 7])}`;
  return indexOf(bytes, "mp4a", moov) >= 0 ? `${video}, mp4a.40.2` : video;
}

function joined(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * Play the stream at `url` in `video` as it arrives. Resolves true once the stream has ended
 * (or `stale()` said it is no longer wanted), false when this browser cannot play it this way
 * (no MSE, an unsupported codec, a failed request): the caller then waits for the file.
 */
export async function playLive(video, url, stale) {
  if (!window.MediaSource) return false;
  let res;
  try {
    res = await fetch(url);
  } catch {
    return false;
  }
  if (!res.ok || !res.body) return false;
  const reader = res.body.getReader();
  let head = new Uint8Array(0);
  let codecs = null;
  while (!codecs) {
    const { done, value } = await reader.read();
    if (done || stale()) return false;
    head = joined(head, value);
    codecs = codecsOf(head);
  }
  const type = `video/mp4; codecs="${codecs}"`;
  if (!MediaSource.isTypeSupported(type)) {
    reader.cancel().catch(() => {});
    return false;
  }
  if (stale()) {
    reader.cancel().catch(() => {});
    return true;
  }
  const source = new MediaSource();
  video.src = URL.createObjectURL(source);
  await new Promise((r) => source.addEventListener("sourceopen", r, { once: true }));
  const buffer = source.addSourceBuffer(type);
  const append = (bytes) =>
    new Promise((resolve, reject) => {
      buffer.addEventListener("updateend", resolve, { once: true });
      buffer.addEventListener("error", reject, { once: true });
      buffer.appendBuffer(bytes);
    });
  try {
    await append(head);
    for (;;) {
      if (stale()) break;
      const { done, value } = await reader.read();
      if (done) break;
      await append(value);
    }
    if (source.readyState === "open" && !stale()) source.endOfStream();
  } catch {
    // the stream broke off (a failed render, a new preview): the finished file, if any, follows
  } finally {
    reader.cancel().catch(() => {});
  }
  return true;
}
