// The shell: hash routes, the top bar, and sign-out. Each page module exports
// render(root, params, ctx) and builds its content with the helpers in dom.js.

import { ApiError, currentSession, logout, org } from './api.js';
import { h, mount } from './dom.js';
import * as bell from './bell.js';
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
];

const root = document.getElementById('app');
let generation = 0;
let cleanups = [];
let signOutReason = null;

function currentPath() {
  const p = location.hash.replace(/^#/, '');
  return p === '' ? '/' : p;
}

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
}

async function route() {
  generation += 1;
  const gen = generation;
  for (const f of cleanups) f();
  cleanups = [];
  const path = currentPath();
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
    sessionStorage.setItem('awardflow.next', path);
    go('/login');
    return;
  }
  updateShell(match.nav);
  const ctx = {
    alive: () => gen === generation,
    onLeave: (f) => cleanups.push(f),
    go,
    reason: signOutReason,
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
  if (p !== '/login' && p !== '/verify') sessionStorage.setItem('awardflow.next', p);
  go('/login');
});

window.addEventListener('hashchange', route);
route();
