// The bell in the top bar: the unread count, and a panel with what is due (due within
// two days, overdue) and what arrived (new tasks, returned proposals, decisions issued),
// each a link to its page; "mark all read"; and how the person is mailed (each event at
// once, or one digest a day; their address). It reads /api/v1/notifications every 30 s
// while signed in and at each page change.

import { currentSession, get, post, put } from './api.js';
import { h, mount, en, fmtTime, showError, showOk, msgBox, uid } from './dom.js';

const POLL_MS = 30000;
const DUE_KINDS = new Set(['due_soon', 'overdue']);

let button;
let count;
let panel;
let timer = null;
let last = { items: [], unread: 0 };
let loading = null;

function svgBell() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z');
  svg.append(path);
  return svg;
}

function build() {
  const who = document.getElementById('who');
  if (!who || document.getElementById('bell')) return;
  count = h('span', { class: 'bell-count', id: 'bell-count', hidden: true }, '0');
  button = h('button', {
    type: 'button', class: 'bell', id: 'bell', 'aria-haspopup': 'true', 'aria-expanded': 'false',
    'aria-controls': 'bell-panel', 'aria-label': 'Thông báo', title: 'Thông báo / Notifications',
    onclick: () => (panel.hidden ? open() : close()),
  }, svgBell(), count);
  panel = h('section', { class: 'bell-panel', id: 'bell-panel', hidden: true, 'aria-labelledby': 'bell-title', tabindex: '-1' });
  const wrap = h('div', { class: 'bell-wrap' }, button, panel);
  // In the bar's slot (index.html), visible on a phone while the menu is folded.
  (document.getElementById('notify-slot') || who).prepend(wrap);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !panel.hidden) {
      close();
      button.focus();
    }
  });
  document.addEventListener('click', (e) => {
    if (!panel.hidden && !wrap.contains(e.target)) close();
  });
}

function showCount(unread) {
  count.textContent = unread > 99 ? '99+' : String(unread);
  count.hidden = unread === 0;
  button.setAttribute('aria-label', unread === 0 ? 'Thông báo: không có thông báo chưa đọc'
    : `Thông báo: ${unread} chưa đọc`);
  button.classList.toggle('has-unread', unread > 0);
}

async function load() {
  if (!currentSession()) return last;
  if (loading) return loading;
  loading = (async () => {
    try {
      last = await get('/api/v1/notifications?limit=50');
      showCount(last.unread);
    } catch (_) {
      // A failed poll keeps the last count; a 401 already signed the tab out.
    } finally {
      loading = null;
    }
    return last;
  })();
  return loading;
}

function item(n) {
  const link = h('a', {
    href: n.link, class: 'bell-link',
    onclick: () => { if (!n.read) markRead([n.id]); close(); },
  }, h('span', { class: `bell-kind kind-${n.kind}` }, n.kind_label || n.kind), ' ', n.text);
  return h('li', { class: n.read ? 'bell-item' : 'bell-item unread', dataset: { id: n.id, kind: n.kind } },
    link, h('span', { class: 'bell-time' }, fmtTime(n.created_at), n.read ? '' : ' · chưa đọc'));
}

async function markRead(ids) {
  try {
    const r = await post('/api/v1/notifications/read', ids ? { ids } : {});
    showCount(r.unread);
  } catch (_) { /* the next poll shows the truth */ }
}

function render() {
  const due = last.items.filter((n) => DUE_KINDS.has(n.kind) && !n.read);
  const arrived = last.items.filter((n) => !due.includes(n));
  const box = msgBox(uid('bell-msg'));
  const list = (id, title, items, empty) => h('div', { class: 'bell-group' },
    h('h3', { id }, title),
    items.length ? h('ul', { class: 'bell-list', 'aria-labelledby': id }, items.map(item))
      : h('p', { class: 'muted' }, empty));
  const emailId = uid('bell-email');
  const digestId = uid('bell-digest');
  const prefsForm = h('form', { class: 'bell-prefs', id: 'bell-prefs' },
    h('h3', {}, 'Nhận thư điện tử ', en('E-mail')),
    h('label', { for: digestId, class: 'check' },
      h('input', { type: 'checkbox', id: digestId, name: 'digest' }),
      ' Gộp thành một thư tổng hợp mỗi sáng ', en('one digest a day')),
    h('label', { for: emailId }, 'Địa chỉ thư ', en('address')),
    h('input', { type: 'email', id: emailId, name: 'email', autocomplete: 'email', placeholder: 'mặc định của cơ quan' }),
    h('button', { type: 'submit', id: 'bell-save', disabled: true }, 'Lưu'),
    box);
  get('/api/v1/notifications/preferences').then((p) => {
    prefsForm.elements.digest.checked = !!p.digest;
    prefsForm.elements.email.value = p.email || '';
    prefsForm.dataset.loaded = 'true';
    document.getElementById('bell-save').disabled = false;
  }).catch((err) => showError(box, err));
  prefsForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const p = await put('/api/v1/notifications/preferences', {
        email: prefsForm.elements.email.value.trim(), digest: prefsForm.elements.digest.checked,
      });
      prefsForm.elements.email.value = p.email || '';
      showOk(box, p.digest ? 'Đã lưu: mỗi sáng một thư tổng hợp.' : 'Đã lưu: mỗi thông báo một thư.',
        'saved');
    } catch (err) {
      showError(box, err);
    }
  });
  mount(panel,
    h('div', { class: 'bell-head' },
      h('h2', { id: 'bell-title' }, 'Thông báo ', en('Notifications')),
      h('button', {
        type: 'button', class: 'link-button', id: 'bell-read-all', disabled: last.unread === 0,
        onclick: async () => { await markRead(null); await load(); render(); },
      }, 'Đánh dấu đã đọc tất cả')),
    list('bell-due', 'Cần xử lý gấp', due, 'Không có việc sắp đến hạn hay quá hạn.'),
    list('bell-arrived', 'Mới nhận', arrived, 'Chưa có thông báo nào.'),
    prefsForm);
}

async function open() {
  await load();
  render();
  panel.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  panel.focus({ preventScroll: true });
}

function close() {
  if (!panel || panel.hidden) return;
  panel.hidden = true;
  panel.replaceChildren(); // a closed panel keeps no stale form
  button.setAttribute('aria-expanded', 'false');
}

/** refresh is called by the shell at each page change: (re)starts polling while signed in. */
export function refresh() {
  build();
  if (!button) return;
  close();
  if (!currentSession()) {
    if (timer) clearInterval(timer);
    timer = null;
    last = { items: [], unread: 0 };
    showCount(0);
    return;
  }
  load();
  if (!timer) timer = setInterval(load, POLL_MS);
}
