// Pictures the server draws (poster, timeline frames, upload thumbnails): fetched with the bearer
// token (an <img src> could not carry it) and shown through object URLs, cached by address.

import { raw } from "./api.js";

const urls = new Map(); // address → Promise<object URL>
const MAX = 80;

/** An object URL for the JPEG at `path` (owner-only API route); rejects when it is not drawn. */
export function still(path) {
  let p = urls.get(path);
  if (!p) {
    p = (async () => {
      const res = await raw(path, { headers: { Accept: "image/jpeg" } });
      if (!res.ok || !(res.headers.get("content-type") || "").startsWith("image/")) throw new Error(`HTTP ${res.status}`);
      return URL.createObjectURL(await res.blob());
    })();
    p.catch(() => urls.delete(path));
    urls.set(path, p);
    while (urls.size > MAX) {
      const [oldest, old] = urls.entries().next().value;
      urls.delete(oldest);
      old.then((u) => URL.revokeObjectURL(u)).catch(() => {});
    }
  }
  return p;
}

const base = (sid) => `/api/projects/me/${encodeURIComponent(sid)}`;

export const stillPaths = {
  poster: (sid, version, w = 640) => `${base(sid)}/frames?at=poster&w=${w}&v=${version}`,
  frames: (sid, version, times, w) => `${base(sid)}/frames?at=${times.map((x) => Math.round(x)).join(",")}&w=${w}&v=${version}`,
  upload: (sid, mediaId, w = 96) => `${base(sid)}/uploads/${encodeURIComponent(mediaId)}/thumbnail?w=${w}`,
};
