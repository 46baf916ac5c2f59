// The shell: hash routes, the top bar (folded behind a menu button on a phone), the
// scroll position of each page, sign-in on the way to a page, and sign-out. Each page
// module exports render(root, params, ctx) and builds its content with the helpers in
// dom.js.

import {
  ApiError, currentSession, logout, org, saveSession,
} from './api.js';
import { h, labelTables, mount } from './dom.js';
import * as bell from './bell.js';
import * as navbar from './nav.js';
import * as login from './pages/login.js';
import * as home from './pages/home.js';
import * as create from './pages/create.js';
import * as proposal from './pages/proposal.js';
import * as sessions from './pages/sessions.js';
import * as session from './pages/session.js';
import * as verify from './pages/verify.js';
import * as statistics from './pages/statistics.js';
import * as lists from './pages/lists.js';
import * as postings from './pages/postings.js';
import * as revocations from './pages/revocations.js';
import * as admin from './pages/admin.js';
import * as movements from './pages/movements.js';
import * as annual from './pages/annual.js';
import * as history from './pages/history.js';
import * as delegations from './pages/delegations.js';

// [pattern, module, needs sign-in, nav key]
const ROUTES = [
  [/^\/login$/, login, false, ''],
  [/^\/$/, home, true, 'home'],
  [/^\/new$/, create, true, 'new'],
  [/^\/proposals\/([a-z]+-[0-9a-f]+)$/, proposal, true, ''],
  [/^\/sessions$/, sessions, true, 'sessions'],
  [/^\/sessions\/([a-z]+-[0-9a-f]+)$/, session, true, 'sessions'],
  [/^\/verify$/, verify, false, 'verify'],
  [/^\/statistics$/, statistics, true, 'statistics'],
  [/^\/lists$/, lists, true, 'lists'],
  [/^\/postings$/, postings, true, 'postings'],
  [/^\/revocations(?:\/(revocation-[0-9a-f]+))?$/, revocations, true, 'revocations'],
  [/^\/admin(?:\/(people|units|rules|new-person)(?:\/([a-z0-9._-]+))?)?$/, admin, true, 'admin'],
  [/^\/movements$/, movements, true, 'movements'],
  [/^\/annual$/, annual, true, 'annual'],
  [/^\/(people|units)\/([A-Za-z0-9._-]+)\/awards$/, history, true, ''],
  [/^\/delegations$/, delegations, true, 'delegations'],
];

const root = document.getElementById('app');
let generation = 0;
let cleanups = [];
let signOutReason = null;

const SESSION_KEY = 'awardflow.session';
const NEXT_KEY = 'awardflow.next';

// Why the sign-in page is shown, in the words of the message box (Vietnamese first).
const because = {
  deepLink: () => ({
    info: true,
    message: 'Vui lòng đăng nhập để mở trang này. Sau khi đăng nhập, bạn sẽ được chuyển thẳng đến trang đó.',
    messageEn: 'Sign in to open this page; you will be taken there afterwards.',
  }),
  expired: () => new ApiError(401, 'unauthenticated',
    'Phiên đăng nhập đã hết hạn (mỗi lần đăng nhập có hiệu lực 12 giờ). Vui lòng đăng nhập lại để tiếp tục; bạn sẽ trở lại trang đang mở.',
    'your sign-in expired (it lasts 12 hours): sign in again to carry on where you were'),
};

// A session that this tab held and that ran out (currentSession then forgets it
// silently): read before anything else asks for the session.
function sessionExpired() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    return !!(s && s.token && s.expires_at && Date.parse(s.expires_at) <= Date.now());
  } catch {
    return false;
  }
}

// Tabs share the sign-in: the token lives in each tab's sessionStorage (gone when the tab
// closes), so a link opened in a new tab asks the tabs already signed in for theirs
// (same origin only) instead of asking the person to sign in again.
const channel = 'BroadcastChannel' in window ? new BroadcastChannel('awardflow.session') : null;
if (channel) {
  channel.addEventListener('message', (e) => {
    if (e.data && e.data.type === 'ask') {
      const s = currentSession();
      if (s) channel.postMessage({ type: 'session', session: s });
    }
  });
}

function borrowSession() {
  if (!channel || currentSession()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      channel.removeEventListener('message', onAnswer);
      resolve();
    };
    const timer = setTimeout(done, 300);
    function onAnswer(e) {
      const s = e.data && e.data.type === 'session' ? e.data.session : null;
      if (s && s.token && !currentSession() && !(s.expires_at && Date.parse(s.expires_at) <= Date.now())) {
        saveSession(s);
        clearTimeout(timer);
        done();
      }
    }
    channel.addEventListener('message', onAnswer);
    channel.postMessage({ type: 'ask' });
  });
}

// Scroll: a page reached by a link or by typing starts at its top; a page reached again
// by Back or Forward returns where it was left. The positions are kept per history entry,
// by the entry's key of the Navigation API (where the browser has it; elsewhere every
// page starts at its top). The history itself is never rewritten: replaceState would
// count as a navigation for tools that wait on them.
if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
const scrolls = new Map();
let entryKey = '';
let lastPath = null;
window.addEventListener('scroll', () => {
  if (entryKey) scrolls.set(entryKey, window.scrollY);
}, { passive: true });

function currentEntryKey() {
  const nav = window.navigation;
  return nav && nav.currentEntry && nav.currentEntry.key ? nav.currentEntry.key : '';
}

// arrive returns where the page about to be drawn should scroll to: a number, or null to
// stay (the same page drawn again after an action).
function arrive(path) {
  const key = currentEntryKey();
  const saved = key && scrolls.has(key) ? scrolls.get(key) : null;
  const samePage = key === entryKey && path === lastPath;
  entryKey = key;
  lastPath = path;
  if (samePage) return null;
  return saved ?? 0;
}

// The menu on a phone: the button opens and closes it; choosing a page, Escape or a
// click elsewhere closes it.
const topbar = document.getElementById('topbar');
const toggle = document.getElementById('nav-toggle');

function setMenu(open, focusButton) {
  topbar.classList.toggle('menu-open', open);
  toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  if (!open && focusButton) toggle.focus();
}

toggle.addEventListener('click', () => {
  const open = toggle.getAttribute('aria-expanded') !== 'true';
  setMenu(open, false);
  if (open) {
    const first = document.querySelector('#nav a:not([hidden])');
    if (first) first.focus();
  }
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && toggle.getAttribute('aria-expanded') === 'true') {
    setMenu(false, true);
  }
});
document.addEventListener('click', (e) => {
  if (toggle.getAttribute('aria-expanded') === 'true' && !topbar.contains(e.target)) setMenu(false, false);
});
document.getElementById('nav').addEventListener('click', (e) => {
  if (e.target.closest('a')) setMenu(false, false);
});

// Tables say their column in each cell (data-label): on a phone the rows become cards.
// Pages add rows after they are drawn (lists load, "Xem thêm"), so the shell labels every
// table that appears in the page.
new MutationObserver((records) => {
  const tables = new Set();
  for (const r of records) {
    for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      const t = n.closest('table');
      if (t) tables.add(t);
      for (const x of n.querySelectorAll('table')) tables.add(x);
    }
  }
  for (const t of tables) labelTables(t);
}).observe(root, { childList: true, subtree: true });

function currentPath() {
  const p = location.hash.replace(/^#/, '');
  return p === '' ? '/' : p;
}

// A page's address may carry a query after its path (#/?stage=submitted&overdue=true):
// the page's filters, kept in the history so that Back and a pasted link restore them.
function splitPath(p) {
  const i = p.indexOf('?');
  return i < 0 ? [p, new URLSearchParams()] : [p.slice(0, i), new URLSearchParams(p.slice(i + 1))];
}

// The page drawn now, and its handler of a new query on the same path (ctx.onQuery):
// a filter changed, or Back to other filters, redraws the list, not the page.
let shownBase = null;
let queryHandler = null;
let lastNav = '';

export function go(path) {
  if (currentPath() === path) route();
  else location.hash = `#${path}`;
}

function updateShell(navKey) {
  const s = currentSession();
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  nav.hidden = !s;
  who.hidden = !s;
  toggle.hidden = !s;
  document.getElementById('notify-slot').hidden = !s;
  setMenu(false, false);
  if (s) {
    const roles = s.user.roles || [];
    document.getElementById('who-name').textContent = s.user.name;
    document.getElementById('who-role').textContent = (s.user.role_labels || []).join(', ');
    // The văn thư issues the sessions' documents: they see the sessions too.
    const seesSessions = roles.some((r) => r.startsWith('council_')) || roles.includes('admin') || roles.includes('clerk');
    document.getElementById('nav-sessions').hidden = !seesSessions;
    // The statistics: the council, the văn thư and admins (award.CanSeeStatistics).
    document.getElementById('nav-statistics').hidden = !seesSessions;
    // A department's annual list: its heads (award.CanFile) and admins.
    document.getElementById('nav-lists').hidden = !(roles.includes('department_head') || roles.includes('admin'));
    // Revocations: the head (the chair here), the council, the văn thư and admins.
    document.getElementById('nav-revocations').hidden = !seesSessions;
    // The directory and the rules in force: admins (award.CanEditDirectory).
    document.getElementById('nav-admin').hidden = !roles.includes('admin');
    // Ủy quyền: in the menu of those who hold a review to hand over (and admins); a
    // delegate reaches the page from the inbox and from the bell.
    document.getElementById('nav-delegations').hidden = !(roles.includes('department_head') || roles.includes('council_chair') || roles.includes('council_secretary') || roles.includes('clerk') || roles.includes('admin'));
    // The annual data: the office and heads (award.AnnualDataScope; admins edit).
    document.getElementById('nav-annual').hidden = !(seesSessions || roles.includes('department_head'));
    org().then((o) => {
      document.getElementById('agency-name').textContent = o.agency.full_name;
    }).catch(() => {});
  }
  bell.refresh();
  for (const a of nav.querySelectorAll('a[data-nav]')) {
    if (a.dataset.nav === navKey) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  navbar.markCurrent();
  if (s) navbar.refreshCount();
}

async function route() {
  const [path, query] = splitPath(currentPath());
  if (queryHandler && path === shownBase && currentSession()) {
    // The same page with other filters: the page redraws its list in place.
    arrive(currentPath());
    updateShell(lastNav);
    queryHandler(query);
    return;
  }
  generation += 1;
  const gen = generation;
  for (const f of cleanups) f();
  cleanups = [];
  queryHandler = null;
  shownBase = path;
  const expired = sessionExpired();
  const scrollTo = arrive(currentPath());
  if (scrollTo !== null) window.scrollTo(0, 0);
  let match = null;
  for (const [re, mod, auth, nav] of ROUTES) {
    const m = re.exec(path);
    if (m) {
      match = { mod, auth, nav, params: m.slice(1) };
      break;
    }
  }
  if (!match) {
    updateShell('');
    mount(root, h('h1', { tabindex: '-1' }, 'Không tìm thấy trang'),
      h('p', {}, h('a', { href: '#/' }, 'Về trang chủ')));
    return;
  }
  if (match.auth && !currentSession()) {
    // Remember where the person was going, and say why they must sign in.
    sessionStorage.setItem(NEXT_KEY, currentPath());
    signOutReason = signOutReason || (expired ? because.expired() : path !== '/' ? because.deepLink() : null);
    go('/login');
    return;
  }
  if (expired && !signOutReason) signOutReason = because.expired();
  updateShell(match.nav);
  lastNav = match.nav;
  const ctx = {
    alive: () => gen === generation,
    onLeave: (f) => cleanups.push(f),
    go,
    reason: signOutReason,
    query,
    // onQuery(fn): the page handles a new query on its path itself (fn(query)).
    onQuery: (fn) => {
      if (gen === generation) queryHandler = fn;
    },
  };
  signOutReason = null;
  root.setAttribute('aria-busy', 'true');
  try {
    await match.mod.render(root, match.params, ctx);
  } catch (err) {
    if (!ctx.alive()) return;
    mount(root, h('h1', { tabindex: '-1' }, 'Không tải được trang'),
      h('div', { class: 'msg error', role: 'alert' },
        h('span', { class: 'msg-text' }, err && err.message ? err.message : String(err)),
        err && err.messageEn ? h('span', { class: 'en', lang: 'en' }, err.messageEn) : null),
      h('p', {}, h('a', { href: '#/' }, 'Về trang chủ')));
  } finally {
    if (ctx.alive()) {
      root.removeAttribute('aria-busy');
      // Back or Forward: where the page was left, once it is drawn again.
      if (scrollTo) window.scrollTo(0, scrollTo);
      const h1 = root.querySelector('h1');
      if (h1) {
        h1.setAttribute('tabindex', '-1');
        document.title = `${h1.textContent} — awardflow`;
        // Move focus to the new page (screen readers announce it) unless the page
        // already put it somewhere useful, such as the first field of a form.
        if (!root.contains(document.activeElement) || document.activeElement === root) h1.focus({ preventScroll: true });
      }
    }
  }
}

// "Bỏ qua, đến nội dung chính": the focus goes to the page's heading. The link's own
// #app would be taken for a route (a page not found), so the hash stays as it is.
document.querySelector('a.skip').addEventListener('click', (e) => {
  e.preventDefault();
  const target = root.querySelector('h1') || root;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus();
});

document.getElementById('logout').addEventListener('click', async (e) => {
  const button = e.currentTarget;
  button.disabled = true;
  try {
    const revoked = await logout();
    if (!revoked) {
      signOutReason = new ApiError(0, 'network',
        'Đã đăng xuất trên máy này, nhưng không báo được cho máy chủ; mã đăng nhập cũ còn hiệu lực đến khi hết hạn.',
        'signed out here, but the server could not be told; the old token stays valid until it expires');
    }
  } finally {
    button.disabled = false;
  }
  go('/login');
});

window.addEventListener('awardflow:signed-out', (e) => {
  signOutReason = e.detail;
  const p = currentPath();
  // Several calls of a page fail at once: the first one sets off to the sign-in page
  // (its hashchange is still to come); the others must not draw it again ahead of that,
  // which would use up the reason before the page shown last.
  if (p === '/login') return;
  if (p !== '/verify') sessionStorage.setItem(NEXT_KEY, p);
  go('/login');
});

window.addEventListener('hashchange', route);
navbar.setupGroups();
// An action done (dom.js runAction): the count on "Hộp việc" may have changed.
window.addEventListener('awardflow:changed', () => navbar.refreshCount());
borrowSession().then(route);
