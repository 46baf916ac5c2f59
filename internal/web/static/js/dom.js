// DOM building and formatting helpers. Pages build elements with h() and text nodes,
// never with innerHTML, so data from the server is always shown as text.

// Properties that must be set on the element (after its children exist, e.g. a
// <select>'s value) rather than as attributes.
const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'required', 'multiple', 'indeterminate']);

/**
 * h('button', {class: 'primary', onclick: fn}, 'Gửi') builds an element.
 * Attributes with null/undefined/false values are left out.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  const props = [];
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (PROPS.has(k)) props.push([k, v]);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  for (const [k, v] of props) el[k] = v;
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/**
 * mount replaces root's content. Absent parts (null, undefined, false) are left out:
 * replaceChildren itself would print them as the text "null".
 */
export function mount(root, ...children) {
  root.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

/** An English gloss in small type after the Vietnamese text. */
export function en(text) {
  return h('span', { class: 'en', lang: 'en' }, text);
}

let idSeq = 0;
/** A fresh element id, for label/input pairs. */
export function uid(prefix) {
  idSeq += 1;
  return `${prefix}-${idSeq}`;
}

// Times are shown in Vietnam time whatever the browser's zone: the documents and the
// history are the agency's, dated in its zone.
const TZ = 'Asia/Ho_Chi_Minh';
const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric',
  hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
const dateFmt = new Intl.DateTimeFormat('en-GB', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' });

function parts(fmt, d) {
  const o = {};
  for (const p of fmt.formatToParts(d)) o[p.type] = p.value;
  return o;
}

function toDate(iso) {
  if (!iso || iso.startsWith('0001-')) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** dd/mm/yyyy HH:mm in Vietnam time; '—' for an absent time. */
export function fmtTime(iso) {
  const d = toDate(iso);
  if (!d) return '—';
  const p = parts(dateTimeFmt, d);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** dd/mm/yyyy in Vietnam time. */
export function fmtDate(iso) {
  const d = toDate(iso);
  if (!d) return '—';
  const p = parts(dateFmt, d);
  return `${p.day}/${p.month}/${p.year}`;
}

/** A time element carrying the machine-readable instant. */
export function timeEl(iso) {
  const d = toDate(iso);
  return d ? h('time', { datetime: d.toISOString() }, fmtTime(iso)) : '—';
}

const numFmt = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
/** 52 B, 1,2 KB, 3,4 MB. */
export function fmtSize(n) {
  if (typeof n !== 'number') return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${numFmt.format(n / 1024)} KB`;
  return `${numFmt.format(n / 1024 / 1024)} MB`;
}

/** Shows an API error (Vietnamese first, English small) in a role=alert box. */
export function showError(box, err) {
  box.classList.remove('ok');
  box.classList.add('error');
  // mount, not replaceChildren: an absent English line must not print as "null".
  mount(box,
    h('span', { class: 'msg-text' }, err && err.message ? err.message : String(err)),
    err && err.messageEn ? h('span', { class: 'en', lang: 'en' }, err.messageEn) : null);
  box.hidden = false;
}

/** Shows a success note in a message box. */
export function showOk(box, text, english) {
  box.classList.remove('error');
  box.classList.add('ok');
  mount(box, h('span', { class: 'msg-text' }, text), english ? en(english) : null);
  box.hidden = false;
}

export function clearMsg(box) {
  box.hidden = true;
  box.replaceChildren();
}

/** A message box placed next to an action: empty and hidden until something happens. */
export function msgBox(id) {
  return h('div', { class: 'msg', id, role: 'alert', 'aria-live': 'polite', hidden: true });
}

/**
 * Runs an action from a button: disables the buttons of its group while it runs (a
 * double click sends nothing twice), clears the message box, and shows the error there.
 * Returns the action's result, or undefined when it failed.
 */
export async function runAction(buttons, box, fn) {
  const list = Array.isArray(buttons) ? buttons : [buttons];
  if (list.some((b) => b.disabled)) return undefined;
  for (const b of list) {
    b.disabled = true;
    b.setAttribute('aria-busy', 'true');
  }
  clearMsg(box);
  try {
    const out = await fn();
    // The shell re-reads what depends on the data (the count on "Hộp việc").
    window.dispatchEvent(new CustomEvent('awardflow:changed'));
    return out;
  } catch (err) {
    showError(box, err);
    return undefined;
  } finally {
    for (const b of list) {
      b.disabled = false;
      b.removeAttribute('aria-busy');
    }
  }
}

/** A labelled form field. */
export function field(label, input, hint) {
  const id = input.id || uid('f');
  input.id = id;
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

/** A table with a header row; rows are arrays of cells (strings or nodes). */
export function table(caption, headers, rows, attrs) {
  return labelTables(h('table', attrs || {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => (r instanceof Node ? r : h('tr', {}, r.map((c) => h('td', {}, c))))))));
}

/**
 * labelTables gives each body cell of the table (or of every table inside el) its
 * column's words as data-label, from the last header row (a cell that spans columns
 * moves the count on). On a phone the stylesheet turns rows into cards and shows the
 * label before each value, so "3" reads "Đồng ý: 3". A table whose page labels its
 * cells itself (some data-label not set here) is left as the page made it. Returns el.
 */
export function labelTables(el) {
  const tables = el.tagName === 'TABLE' ? [el] : [...el.querySelectorAll('table')];
  for (const t of tables) {
    const headRows = t.tHead ? t.tHead.rows : [];
    if (!headRows.length) continue;
    if (t.dataset.autoLabels !== 'yes' && t.querySelector('td[data-label]')) continue;
    t.dataset.autoLabels = 'yes';
    const words = [];
    for (const th of headRows[headRows.length - 1].cells) {
      const text = th.textContent.replace(/\s+/g, ' ').trim();
      for (let i = 0; i < (th.colSpan || 1); i += 1) words.push(text);
    }
    for (const body of t.tBodies) {
      for (const tr of body.rows) {
        let col = 0;
        for (const cell of tr.cells) {
          const w = words[col];
          if (cell.tagName === 'TD' && w && !cell.hasAttribute('data-label')) cell.dataset.label = w;
          col += cell.colSpan || 1;
        }
      }
    }
  }
  return el;
}
