// Files shown in the page (issue 10, item 9): evidence, session documents, revocation
// decisions. A file is fetched with the token, its first bytes decide what it is (never
// the name, never what the server claimed), and only a PDF (in a frame, the browser's
// viewer) or a raster picture (an <img>) is shown, each from a blob: URL typed as what
// the bytes are. Anything else — text, SVG, HTML, office files, archives — is never
// rendered: a line says so and the download is offered. A download is always offered:
// phone browsers often show no PDF in a frame.
//
// Beside a signed or issued PDF, a panel gives what POST /api/v1/verify (the check of
// the #/verify page) says of those very bytes: who signed, when, the certificate,
// whether the bytes are intact, and the register's number for an issued document.

import { download, request } from './api.js';
import {
  en, fmtDate, h, runAction, timeEl,
} from './dom.js';

// [kind, type the blob gets, [offset, bytes]...]: what is shown, by its magic bytes.
const MAGIC = [
  ['pdf', 'application/pdf', [[0, '%PDF-']]],
  ['image', 'image/png', [[0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]]]],
  ['image', 'image/jpeg', [[0, [0xff, 0xd8, 0xff]]]],
  ['image', 'image/gif', [[0, 'GIF87a']]],
  ['image', 'image/gif', [[0, 'GIF89a']]],
  ['image', 'image/webp', [[0, 'RIFF'], [8, 'WEBP']]],
];

const bytesOf = (x) => (typeof x === 'string' ? Array.from(x, (c) => c.charCodeAt(0)) : x);

/** sniff names what the bytes are: {kind: 'pdf'|'image', type}, or null (not shown). */
export function sniff(buf) {
  const b = new Uint8Array(buf, 0, Math.min(16, buf.byteLength));
  const at = (off, want) => bytesOf(want).every((v, i) => b[off + i] === v);
  const m = MAGIC.find(([, , marks]) => marks.every(([off, want]) => at(off, want)));
  return m ? { kind: m[0], type: m[1] } : null;
}

// The file's SHA-256 in hex (the digest the records carry); '' where the browser offers
// no WebCrypto (a plain-HTTP address other than localhost).
async function sha256(buf) {
  if (!globalThis.crypto || !crypto.subtle) return '';
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
  return Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** A page's previews: fetched files by key, and what each area shows (kept across redraws). */
export function previewCache() {
  return { blobs: new Map(), open: new Map() };
}

/** revokePreviews frees the page's preview files (when it is left). */
export function revokePreviews(cache) {
  for (const shown of cache.blobs.values()) if (shown.url) URL.revokeObjectURL(shown.url);
  cache.blobs.clear();
  cache.open.clear();
}

/**
 * loadFile fetches path (once per key) and returns {kind, type, url, blob, bytes, sha256}:
 * url is a blob: URL of the sniffed type, or '' when the file is not shown. want: the
 * kind the caller expects ('pdf' for a document: anything else is an error). fetchIt
 * false: the server's type of the file is no shown kind; it is not fetched.
 */
export async function loadFile(cache, path, key = path, want = '', fetchIt = true) {
  const had = cache.blobs.get(key);
  if (had) return had;
  // The server's own sniffing already says the file is of no shown kind (a ZIP, text):
  // nothing to fetch for a line that says so.
  if (!fetchIt) return { kind: '', type: '', url: '', bytes: 0, sha256: '' };
  const resp = await request('GET', path, { raw: true });
  const buf = await resp.arrayBuffer();
  const what = sniff(buf);
  if (want && (!what || what.kind !== want)) throw new Error('Máy chủ không trả về tệp PDF.');
  const blob = new Blob([buf], { type: what ? what.type : 'application/octet-stream' });
  const shown = {
    kind: what ? what.kind : '', type: what ? what.type : '', blob,
    url: what ? URL.createObjectURL(blob) : '', bytes: buf.byteLength, sha256: await sha256(buf),
  };
  cache.blobs.set(key, shown);
  return shown;
}

/**
 * previewView shows a loaded file. opts: id (of the area's content), what (its name in
 * words), title (the frame's accessible name), path and name (the download), box (for
 * errors), data (more data-* on the frame or image), onClose, verify (add the panel),
 * note (a line after the title).
 */
export function previewView(shown, opts) {
  const dl = h('button', { type: 'button', class: 'preview-download', id: `${opts.id}-download` }, `Tải ${opts.what} về`);
  dl.addEventListener('click', () => runAction(dl, opts.box, () => download(opts.path, opts.name)));
  const close = h('button', { type: 'button', class: 'link-button preview-close', id: `${opts.id}-close` }, 'Đóng bản xem');
  close.addEventListener('click', () => opts.onClose());
  const data = { ...(opts.data || {}), bytes: String(shown.bytes), sha256: shown.sha256 };
  let body;
  if (shown.kind === 'pdf') {
    body = h('iframe', {
      class: 'pdf-frame preview-frame', id: `${opts.id}-frame`, src: shown.url, dataset: data, title: opts.title,
    });
  } else if (shown.kind === 'image') {
    body = h('img', { class: 'preview-img', id: `${opts.id}-img`, src: shown.url, dataset: data, alt: opts.title });
  } else {
    body = h('p', { class: 'msg preview-none', id: `${opts.id}-none`, dataset: data },
      h('span', { class: 'msg-text' }, 'Không xem trước được tệp loại này; hãy tải về.'));
  }
  const panel = opts.verify && shown.kind === 'pdf' ? verifyPanel(shown, `${opts.id}-verify`) : null;
  return h('div', { class: 'preview', id: opts.id },
    h('div', { class: 'pdf-head' }, h('strong', {}, `Bản xem: ${opts.what}`, opts.note || ''), dl, close),
    h('div', { class: panel ? 'preview-body with-panel' : 'preview-body' }, body, panel),
    shown.kind === 'pdf' ? h('p', { class: 'hint' }, 'Nếu trình duyệt (nhất là trên điện thoại) không hiện được bản xem, hãy tải tệp về.') : null);
}

/**
 * previewArea: a place on the page where one file at a time is shown. open(file, btn)
 * loads and shows file = {key, slot, path, name, what, title, data, verify, note, want,
 * fetch (false: not a shown type, by the server's sniffing)};
 * area.el goes into the page. Which file is open (its slot, e.g. "the signed file",
 * else its key) is kept in cache.open under areaKey, so a redraw of the page shows it
 * again, or the newest file of that slot: area.restore(files, buttons) returns area.el.
 */
export function previewArea(cache, areaKey, id, box, alive = () => true) {
  const el = h('div', { class: 'pdf-wrap preview-wrap', id: `${id}-wrap` });
  const holder = h('div', { id }, el);
  const show = (file, shown) => {
    el.replaceChildren(previewView(shown, {
      ...file, id: `${id}-view`, box,
      onClose: () => {
        cache.open.delete(areaKey);
        el.replaceChildren();
      },
    }));
  };
  const open = async (file, btn) => {
    const shown = await runAction(btn, box, () => loadFile(cache, file.path, file.key || file.path, file.want || '', file.fetch !== false));
    if (!shown || !alive()) return;
    cache.open.set(areaKey, file.slot || file.key || file.path);
    show(file, shown);
    el.scrollIntoView({ block: 'nearest' });
  };
  // The file this area showed before a redraw, if it is still offered.
  const restore = (files, buttons) => {
    const slot = cache.open.get(areaKey);
    const i = files.findIndex((f) => (f.slot || f.key || f.path) === slot);
    if (i >= 0) {
      const shown = cache.blobs.get(files[i].key || files[i].path);
      if (shown) show(files[i], shown);
      else queueMicrotask(() => open(files[i], buttons[i]));
    }
    return holder;
  };
  return { el: holder, open, restore };
}

/**
 * previewButton: a "Xem" button that opens file in area. attrs: more attributes of the
 * button (class preview-btn is added).
 */
export function previewButton(area, file, label, attrs = {}) {
  const b = h('button', { type: 'button', ...attrs, class: `preview-btn ${attrs.class || ''}`.trim() }, label);
  b.addEventListener('click', () => area.open(file, b));
  return b;
}

const mark = (ok, yes, no) => h('span', { class: ok ? 'pass' : 'fail' }, ok ? `✓ ${yes}` : `✗ ${no}`);

// One signature as the verify API reports it.
function signature(s, i) {
  return h('li', { class: 'sig', dataset: { intact: String(!!s.intact), trusted: String(!!s.trusted) } },
    h('strong', { class: 'sig-signer' }, s.signer || s.field),
    h('dl', { class: 'facts compact' },
      h('dt', {}, 'Thời điểm ký'), h('dd', {}, timeEl(s.signing_time)),
      s.subject ? [h('dt', {}, 'Chứng thư'), h('dd', {}, h('code', { class: 'wrap' }, s.subject))] : null,
      h('dt', {}, 'Dữ liệu'), h('dd', { id: `sig-${i}-intact` }, mark(s.intact, 'Nguyên vẹn', 'Đã bị thay đổi')),
      h('dt', {}, 'Phạm vi ký'), h('dd', {}, mark(s.coverage !== 'unsigned_changes', s.coverage_label, s.coverage_label)),
      h('dt', {}, 'Chuỗi chứng thư'), h('dd', {}, mark(s.trusted, 'Tin cậy', 'Không tin cậy')),
      s.error ? [h('dt', {}, 'Lỗi'), h('dd', {}, s.error)] : null));
}

/** The verify API's answer for these bytes, as it arrives. */
export function verifyPanel(shown, id) {
  const panel = h('aside', { class: 'verify-panel', id, 'aria-labelledby': `${id}-h`, 'aria-live': 'polite', dataset: { checked: '' } },
    h('h4', { id: `${id}-h` }, 'Chữ ký số của tệp này ', en('Signatures')),
    h('p', { class: 'hint' }, 'Đang kiểm tra chữ ký…'));
  (async () => {
    let r;
    try {
      r = await request('POST', '/api/v1/verify', { body: shown.blob, contentType: 'application/pdf', auth: false });
    } catch (err) {
      panel.replaceChildren(panel.firstChild,
        h('p', { class: 'msg error' }, h('span', { class: 'msg-text' }, `Không kiểm tra được chữ ký: ${err.message}`)));
      panel.dataset.checked = 'failed';
      return;
    }
    const tone = r.all_valid && r.issued ? 'good' : r.all_valid ? 'warn' : 'bad';
    const is = r.issued;
    panel.replaceChildren(panel.firstChild,
      h('p', { class: `verdict ${tone}`, id: `${id}-summary` }, r.summary),
      is ? h('dl', { class: 'facts compact', id: `${id}-issued` },
        h('dt', {}, 'Văn bản'), h('dd', {}, is.kind_label),
        h('dt', {}, 'Số, ngày ban hành'), h('dd', {}, is.number_text, is.issued_at ? `, ngày ${fmtDate(is.issued_at)}` : ''),
        is.revokes_number ? [h('dt', {}, 'Huỷ bỏ'), h('dd', {}, `Quyết định ${is.revokes_number}`)] : null,
        is.revoked ? [h('dt', {}, 'Thu hồi'), h('dd', { class: 'fail' }, is.revoked_reason)] : null)
        : h('p', { class: 'hint', id: `${id}-issued` }, 'Tệp này chưa có trong sổ đăng ký văn bản (chưa phát hành).'),
      (r.signatures || []).length
        ? h('ol', { class: 'sigs' }, r.signatures.map(signature))
        : h('p', { class: 'empty' }, 'Tệp không có chữ ký số.'),
      h('p', { class: 'hint' }, 'Kiểm tra như trang ', h('a', { href: '#/verify' }, 'Kiểm tra văn bản'), '.'));
    panel.dataset.checked = 'yes';
    panel.dataset.allValid = String(!!r.all_valid);
  })();
  return panel;
}
