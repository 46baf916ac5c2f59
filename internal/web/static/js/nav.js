// The top bar's parts that change with the data: the office's pages under one
// disclosure ("Công tác thi đua ▾"), and the count of tasks on "Hộp việc".

import { currentSession, get } from './api.js';

// The disclosure: its button opens and closes the group (aria-expanded); Escape, a
// click elsewhere or choosing a page closes it. On a phone the group is listed open in
// the folded menu (CSS), the button hidden.
export function setupGroups() {
  for (const group of document.querySelectorAll('.nav-group')) {
    const button = group.querySelector('.nav-group-toggle');
    const set = (open, focus) => {
      group.classList.toggle('open', open);
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (!open && focus) button.focus();
    };
    button.addEventListener('click', () => {
      const open = button.getAttribute('aria-expanded') !== 'true';
      set(open, false);
      if (open) {
        const first = group.querySelector('.nav-sub a:not([hidden])');
        if (first) first.focus();
      }
    });
    group.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
        e.stopPropagation();
        set(false, true);
      }
    });
    document.addEventListener('click', (e) => {
      if (!group.contains(e.target) || e.target.closest('.nav-sub a')) set(false, false);
    });
    group.addEventListener('focusout', (e) => {
      if (e.relatedTarget && !group.contains(e.relatedTarget)) set(false, false);
    });
  }
}

// markCurrent shows which group holds the page open now.
export function markCurrent() {
  for (const group of document.querySelectorAll('.nav-group')) {
    group.classList.toggle('current', !!group.querySelector('a[aria-current="page"]'));
    group.classList.remove('open');
    group.querySelector('.nav-group-toggle').setAttribute('aria-expanded', 'false');
  }
}

// The count on "Hộp việc": what waits on the person (the inbox's total, one row asked
// for) and how much of it is overdue; read at each page change and after each action.
let seq = 0;
export async function refreshCount() {
  const link = document.getElementById('nav-home');
  const badge = document.getElementById('nav-inbox-count');
  // The words a screen reader says after "Hộp việc": the link's name is its own text, so
  // what is seen ("Hộp việc 26 · 1 quá hạn", the pill hidden from readers) stays part
  // of what is heard (WCAG 2.5.3, axe's label-content-name-mismatch).
  const said = document.getElementById('nav-inbox-said');
  if (!link || !badge || !said) return;
  seq += 1;
  const mine = seq;
  if (!currentSession()) {
    badge.hidden = true;
    said.textContent = '';
    return;
  }
  try {
    const [all, late] = await Promise.all([
      get('/api/v1/inbox?limit=1'), get('/api/v1/inbox?limit=1&overdue=true')]);
    if (mine !== seq) return;
    const n = typeof all.total === 'number' ? all.total : (all.items || []).length;
    const o = typeof late.total === 'number' ? late.total : 0;
    badge.textContent = o ? `${n} · ${o} quá hạn` : String(n);
    badge.classList.toggle('overdue', o > 0);
    badge.hidden = n === 0;
    link.dataset.count = String(n);
    link.dataset.overdue = String(o);
    said.textContent = n === 0 ? ', không có việc đang chờ' : `, ${n} việc đang chờ${o ? `, ${o} việc quá hạn` : ''}`;
  } catch {
    // The count is a hint: the inbox itself says what went wrong.
  }
}
