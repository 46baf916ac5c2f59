// The only way the pages reach the server: fetch on /api/v1 with the bearer token kept
// in sessionStorage (gone when the tab closes). Errors become ApiError carrying the
// server's Vietnamese message, shown next to the action that failed.

const KEY = 'awardflow.session';

/** The signed-in session {token, expires_at, user}, or null. */
export function currentSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (!s || !s.token) return null;
    if (s.expires_at && Date.parse(s.expires_at) <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(s) {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

/**
 * Signs out: the server revokes the token (for every server replica, until it would have
 * expired), then the tab forgets it. If the server cannot be reached the tab forgets the
 * token anyway and the caller learns it was not revoked (false).
 */
export async function logout() {
  const s = currentSession();
  let revoked = true;
  if (s) {
    try {
      const resp = await fetch('/api/v1/logout', {
        method: 'POST', headers: { Authorization: `Bearer ${s.token}` }, cache: 'no-store', credentials: 'omit',
      });
      // 401: the token was already expired or revoked, which is what signing out wants.
      revoked = resp.ok || resp.status === 401;
    } catch {
      revoked = false;
    }
  }
  clearSession();
  return revoked;
}

export class ApiError extends Error {
  constructor(status, code, message, messageEn) {
    super(message);
    this.status = status;
    this.code = code;
    this.messageEn = messageEn || '';
  }
}

/**
 * A fresh Idempotency-Key. The server turns it into the Temporal update id, so the same
 * key sent twice (a double click, a retry after a lost answer) acts once.
 * crypto.randomUUID needs a secure context; plain-HTTP intranet addresses fall back to
 * getRandomValues.
 */
export function newKey() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function errorFrom(resp) {
  let body = null;
  try {
    body = await resp.json();
  } catch {
    // not JSON (a proxy's page, say): fall through to a generic message
  }
  const e = body && body.error;
  if (e && e.message) {
    const err = new ApiError(resp.status, e.code, e.message, e.message_en);
    err.body = body; // the rest of the answer: a refused list's rows, say
    return err;
  }
  if (resp.status === 413) return new ApiError(413, 'too_large', 'Tệp quá lớn', 'file too large');
  return new ApiError(resp.status, 'http', `Máy chủ trả lời lỗi ${resp.status}`, `server answered ${resp.status}`);
}

/**
 * request sends one call. opts: body (object → JSON; Blob/File → raw bytes), idem
 * (Idempotency-Key), headers (more request headers), raw (return the Response instead
 * of parsed JSON), auth (default true), cookies (send this origin's cookies). Throws ApiError.
 */
export async function request(method, path, opts = {}) {
  const headers = {};
  const s = currentSession();
  if (opts.auth !== false && s) headers.Authorization = `Bearer ${s.token}`;
  if (opts.idem) headers['Idempotency-Key'] = opts.idem;
  if (opts.headers) Object.assign(headers, opts.headers); // e.g. If-None-Match: * (create only)
  let body;
  if (opts.body instanceof Blob) {
    body = opts.body;
    headers['Content-Type'] = opts.contentType || 'application/octet-stream';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  let resp;
  try {
    // Cookies only where a call asks for them (the single sign-on's outcome, an HttpOnly
    // cookie of this origin); every other call carries the bearer token alone.
    resp = await fetch(path, {
      method, headers, body, cache: 'no-store', credentials: opts.cookies ? 'same-origin' : 'omit',
    });
  } catch (err) {
    throw new ApiError(0, 'network', 'Không kết nối được với máy chủ. Vui lòng kiểm tra mạng và thử lại.',
      `network error: ${err && err.message ? err.message : err}`);
  }
  if (!resp.ok) {
    const err = await errorFrom(resp);
    if (resp.status === 401 && s && opts.auth !== false) {
      // The token expired or was revoked: back to the sign-in page, saying why.
      clearSession();
      window.dispatchEvent(new CustomEvent('awardflow:signed-out', { detail: err }));
    }
    throw err;
  }
  if (opts.raw) return resp;
  if (resp.status === 204) return null;
  return resp.json();
}

export const get = (path, opts) => request('GET', path, opts);
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body });
export const put = (path, body, opts = {}) => request('PUT', path, { ...opts, body });

/** The file name from Content-Disposition (RFC 6266 filename* first). */
function fileName(resp, fallback) {
  const cd = resp.headers.get('Content-Disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // malformed: try the plain name
    }
  }
  const plain = /filename="([^"]+)"/i.exec(cd);
  return plain ? plain[1] : fallback;
}

/**
 * download fetches a file with the token (a link cannot carry the header) and hands it
 * to the browser as a download.
 */
export async function download(path, fallbackName) {
  const resp = await request('GET', path, { raw: true });
  const blob = await resp.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName(resp, fallbackName);
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return a.download;
}

let orgCache = null;
/** The organisation (award types, movements, departments), fetched once per sign-in. */
export function org() {
  const s = currentSession();
  const token = s ? s.token : '';
  if (!orgCache || orgCache.token !== token) {
    orgCache = { token, promise: get('/api/v1/org') };
    orgCache.promise.catch(() => {
      orgCache = null;
    });
  }
  return orgCache.promise;
}

export function enc(s) {
  return encodeURIComponent(s);
}
