// The filter bar of a list (the task list and the proposals list of the home page):
// search, stage, department, award type, movement, year, overdue and sort. The choices
// come from the server (GET /api/v1/org: the stages' words, the departments, award
// types and movements); the values live in the page's address (#/?stage=submitted&
// overdue=1), each list under its own prefix, so Back and a pasted link restore them.

import { h } from './dom.js';

// The orders a person chooses from; the value is the API's sort parameter.
const SORTS = [
  ['', 'Mới cập nhật'],
  ['due', 'Hạn xử lý (gần nhất trước)'],
  ['-created', 'Ngày lập (mới nhất trước)'],
  ['nominee', 'Tên (A–Z)'],
];

// The keys of the address and of the API (overdue: "1" in the address, "true" to the API).
const KEYS = ['q', 'stage', 'department', 'award_type', 'movement', 'year', 'overdue', 'sort'];

function years(o) {
  const set = new Set([new Date().getFullYear()]);
  for (const m of o.movements || []) if (m.year) set.add(m.year);
  return [...set].sort((a, b) => b - a);
}

const opt = (value, label) => h('option', { value: String(value) }, label);

/**
 * filterBar builds the controls. o is the organisation (org()); ids prefixes the
 * controls' ids; prefix the address's keys; sessions adds the sessions' stages (the
 * inbox lists sessions too); search and stage may reuse existing ids.
 */
export function filterBar(o, { ids, prefix, sessions, searchId, stageId, label }) {
  const stages = [opt('', 'Tất cả các bước')];
  if (sessions) {
    stages.push(h('optgroup', { label: 'Hồ sơ đề nghị' }, (o.labels?.stages || []).map((c) => opt(c.code, c.label))));
    stages.push(h('optgroup', { label: 'Phiên họp Hội đồng' }, (o.labels?.session_statuses || []).map((c) => opt(c.code, c.label))));
  } else {
    stages.push(...(o.labels?.stages || []).map((c) => opt(c.code, c.label)));
  }
  const c = {
    q: h('input', {
      type: 'search', id: searchId || `${ids}-search`, placeholder: 'Tên hoặc số hồ sơ (HS-…)', autocomplete: 'off', spellcheck: 'false',
    }),
    stage: h('select', { id: stageId || `${ids}-stage` }, stages),
    department: h('select', { id: `${ids}-department` }, opt('', 'Tất cả các phòng'),
      (o.departments || []).map((d) => opt(d.id, d.name))),
    award_type: h('select', { id: `${ids}-award-type` }, opt('', 'Tất cả các hình thức'),
      (o.award_types || []).map((t) => opt(t.code, t.name))),
    movement: h('select', { id: `${ids}-movement` }, opt('', 'Tất cả các phong trào'),
      (o.movements || []).map((m) => opt(m.id, m.name))),
    year: h('select', { id: `${ids}-year` }, opt('', 'Tất cả các năm'), years(o).map((y) => opt(y, String(y)))),
    overdue: h('input', { type: 'checkbox', id: `${ids}-overdue` }),
    sort: h('select', { id: `${ids}-sort` }, SORTS.map(([v, l]) => opt(v, l))),
  };
  const ff = (text, el) => h('div', { class: 'ff' }, h('label', { for: el.id }, text), el);
  const clear = h('button', { type: 'button', class: 'link-button', id: `${ids}-clear`, hidden: true }, 'Bỏ lọc');
  const el = h('div', { class: 'filter-bar', role: 'search', 'aria-label': label },
    ff('Tìm', c.q), ff('Bước', c.stage), ff('Phòng', c.department), ff('Hình thức', c.award_type),
    ff('Phong trào', c.movement), ff('Năm', c.year),
    h('div', { class: 'ff check' }, c.overdue, h('label', { for: c.overdue.id }, 'Chỉ việc quá hạn')),
    ff('Sắp xếp theo', c.sort), clear);

  const value = (k) => (k === 'overdue' ? (c.overdue.checked ? '1' : '') : c[k].value.trim());
  const active = () => KEYS.filter((k) => k !== 'sort' && value(k));

  const bar = {
    el,
    controls: c,
    // set puts the address's values in the controls (a value the list no longer offers is dropped).
    set(query) {
      for (const k of KEYS) {
        const v = query.get(prefix + k) || '';
        if (k === 'overdue') c.overdue.checked = v === '1' || v === 'true';
        else if (c[k].value.trim() !== v) c[k].value = v;
      }
      clear.hidden = active().length === 0;
    },
    // hash writes the controls into the address's query (other lists' keys are kept).
    hash(query) {
      for (const k of KEYS) {
        const v = value(k);
        if (v) query.set(prefix + k, v);
        else query.delete(prefix + k);
      }
      return query;
    },
    // api is the list's query for the server.
    api() {
      const q = new URLSearchParams();
      for (const k of KEYS) {
        const v = value(k);
        if (v) q.set(k, k === 'overdue' ? 'true' : v);
      }
      return q;
    },
    // describe says in words what is filtered (for an empty result).
    describe() {
      const out = [];
      for (const k of active()) {
        if (k === 'q') out.push(`tìm “${value('q')}”`);
        else if (k === 'overdue') out.push('chỉ việc quá hạn');
        else {
          const lbl = el.querySelector(`label[for="${c[k].id}"]`).textContent;
          out.push(`${lbl.toLowerCase()} “${c[k].selectedOptions[0].textContent}”`);
        }
      }
      return out.join(', ');
    },
    filtered: () => active().length > 0,
    onChange(fn) {
      let timer = 0;
      for (const k of KEYS) if (k !== 'q') c[k].addEventListener('change', () => fn());
      c.q.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(() => fn(), 400);
      });
      c.q.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          clearTimeout(timer);
          fn();
        }
      });
      clear.addEventListener('click', () => {
        for (const k of KEYS) {
          if (k === 'overdue') c.overdue.checked = false;
          else if (k !== 'sort') c[k].value = '';
        }
        fn();
      });
      return () => clearTimeout(timer);
    },
  };
  return bar;
}
