// Evidence uploads with progress and cancel. fetch cannot report upload progress, so an
// upload is an XMLHttpRequest to the same origin (connect-src 'self': the strict CSP is
// unchanged), with the bearer token and an Idempotency-Key like every other call.

import { ApiError, clearSession, currentSession, newKey } from './api.js';

/**
 * sendFile uploads one file as the raw body. onProgress(loaded, total) follows the
 * bytes sent. Returns {done, abort}: done resolves to the parsed answer, or rejects with
 * an ApiError (code 'aborted' after abort()).
 */
export function sendFile(path, file, onProgress) {
  const xhr = new XMLHttpRequest();
  let aborted = false;
  const done = contentDigest(file).then((digest) => new Promise((resolve, reject) => {
    if (aborted) {
      reject(new ApiError(0, 'aborted', 'Đã huỷ tải lên.', 'upload cancelled'));
      return;
    }
    xhr.open('POST', path);
    // With the file's SHA-256 stated, the server streams it straight to storage, which
    // checks it: a faster upload, and a damaged one is refused rather than kept.
    if (digest) xhr.setRequestHeader('Content-Digest', digest);
    const s = currentSession();
    if (s) xhr.setRequestHeader('Authorization', `Bearer ${s.token}`);
    xhr.setRequestHeader('Idempotency-Key', newKey());
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (e) => {
      if (onProgress) onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText || 'null');
      } catch {
        // not JSON: a proxy's page, say
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body);
        return;
      }
      const e = body && body.error;
      const err = e && e.message
        ? new ApiError(xhr.status, e.code, e.message, e.message_en)
        : xhr.status === 413
          ? new ApiError(413, 'too_large', 'Tệp quá lớn', 'file too large')
          : new ApiError(xhr.status, 'http', `Máy chủ trả lời lỗi ${xhr.status}`, `server answered ${xhr.status}`);
      if (xhr.status === 401 && s) {
        clearSession();
        window.dispatchEvent(new CustomEvent('awardflow:signed-out', { detail: err }));
      }
      reject(err);
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network',
      'Không kết nối được với máy chủ. Vui lòng kiểm tra mạng và thử lại.', 'network error')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'Đã huỷ tải lên.', 'upload cancelled')));
    xhr.send(file);
  }));
  return { done, abort: () => { aborted = true; xhr.abort(); } };
}

/**
 * contentDigest is the Content-Digest header (RFC 9530) of a file: `sha-256=:<base64>:`.
 * null where the browser has no crypto.subtle (a page served over plain HTTP from a host
 * that is not localhost) or cannot read the file: the upload then goes without it and
 * the server hashes it itself.
 */
export async function contentDigest(file) {
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  if (!subtle) return null;
  try {
    const sum = new Uint8Array(await subtle.digest('SHA-256', await file.arrayBuffer()));
    let bin = '';
    for (const b of sum) bin += String.fromCharCode(b);
    return `sha-256=:${btoa(bin)}:`;
  } catch {
    return null;
  }
}

/** "còn khoảng 12 giây" / "còn khoảng 3 phút" from the rate so far; '' before it is known. */
export function timeLeft(loaded, total, startedAt, now) {
  const elapsed = (now - startedAt) / 1000;
  if (loaded <= 0 || elapsed < 0.2 || loaded >= total) return loaded >= total ? 'đang xử lý' : '';
  const secs = Math.ceil(((total - loaded) * elapsed) / loaded);
  if (secs < 60) return `còn khoảng ${secs} giây`;
  return `còn khoảng ${Math.ceil(secs / 60)} phút`;
}
