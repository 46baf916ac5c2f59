import {
  currentSession, enc, get, newKey, org, post,
} from '../api.js';
import { confirmAction } from '../confirm.js';
import {
  en, fmtDate, h, mount, msgBox, runAction, showError, showOk, table,
} from '../dom.js';
import { filterBar } from '../filters.js';

// Lists come a page at a time from the records store (Temporal visibility on a server
// without one): each item carries its title (the nominee, or the session's title). Items
// without one (visibility, started before the memo existed) are filled in afterwards from
// each item, a few requests at a time. "Xem thêm" loads the next page (the `next` cursor).
const ENRICH_LIMIT = 60;
const ENRICH_PARALLEL = 4;

async function enrich(items, ctx, me) {
  // Sessions in the inbox are always read: the row says what the session waits on the
  // person for (a draft to sign, a signed document to issue, a draft sent back…).
  const queue = items.filter((it) => !it.title || (me && it.kind === 'session')).slice(0, ENRICH_LIMIT);
  const worker = async () => {
    while (queue.length && ctx.alive()) {
      const it = queue.shift();
      try {
        if (it.kind === 'session') {
          const s = await get(`/api/v1/sessions/${enc(it.id)}`);
          it.fill(s.title || it.title, '');
          if (me && it.await) it.await(awaitsOf(s, me));
        } else {
          const p = await get(`/api/v1/proposals/${enc(it.id)}`);
          it.fill(p.nominee_name, p.award_type_label);
        }
      } catch {
        // the row keeps its id: someone may list an item they cannot open
      }
    }
  };
  await Promise.all(Array.from({ length: ENRICH_PARALLEL }, worker));
}

// What a session waits on the person for, from what the server says they may do with
// each document (its actions) and the documents' own status words.
function awaitsOf(s, me) {
  const out = [];
  for (const d of s.documents || []) {
    const acts = d.actions || [];
    if (acts.length) {
      out.push({ text: `${d.status_label}: ${d.award_type_label}`, overdue: d.overdue, due: acts.includes('approve') ? d.due_at : '' });
    } else if (d.overdue && d.status === 'awaiting_signature') {
      // Escalated: the signer let the deadline pass; the others are told.
      out.push({ text: `Quá hạn ký duyệt: ${d.award_type_label} (${d.signer_label})`, overdue: true, due: d.due_at });
    }
  }
  if (s.status === 'open') {
    const member = (s.members || []).find((m) => m.id === me.id);
    if (member && member.votes && !(s.voted || []).includes(me.id)) out.push({ text: 'Chờ bạn bỏ phiếu' });
    if (member && member.role === 'council_chair') out.push({ text: 'Chờ bạn kết thúc bỏ phiếu' });
  }
  return out;
}

// The due date's badge on a task still running: "Quá hạn 2 ngày" (red) past the date
// or when the server says it is overdue, else "Còn 1 ngày".
const DAY = 24 * 60 * 60 * 1000;
function dueBadge(it) {
  if (!it.due_at || it.due_at.startsWith('0001-') || it.running === false) return null;
  const left = Date.parse(it.due_at) - Date.now();
  if (Number.isNaN(left)) return null;
  if (it.overdue || left < 0) {
    const n = Math.max(1, Math.floor(-left / DAY));
    return h('span', { class: 'due-badge overdue' }, `Quá hạn ${n} ngày`);
  }
  return h('span', { class: 'due-badge' }, `Còn ${Math.max(1, Math.ceil(left / DAY))} ngày`);
}

// A proposal waiting for the signed-in head's review: it can be picked for bulk review.
const reviewable = (it) => it.kind !== 'session' && it.stage === 'submitted';

function itemRows(items, pick) {
  return items.map((it) => {
    const isSession = it.kind === 'session';
    const href = isSession ? `#/sessions/${it.id}` : `#/proposals/${it.id}`;
    const name = h('span', { class: 'item-name' }, isSession ? 'Phiên họp Hội đồng' : 'Hồ sơ đề nghị');
    const award = h('span', { class: 'item-award' });
    const awaits = h('span', { class: 'awaits-list' });
    const due = h('span', {}, it.due_at ? fmtDate(it.due_at) : '—');
    it.fill = (title, awardLabel) => {
      name.textContent = title || name.textContent;
      award.textContent = awardLabel || '';
      if (title) it.row_name = title;
      if (awardLabel) it.award_label = awardLabel;
    };
    it.await = (list) => {
      awaits.replaceChildren(...list.map((a) => h('span', { class: `awaits${a.overdue ? ' overdue' : ''}` }, a.text)));
      const dues = list.map((a) => a.due).filter((x) => x && !x.startsWith('0001-')).sort();
      if (dues.length) due.textContent = fmtDate(dues[0]);
    };
    if (it.title) it.fill(it.title, it.award_type_label);
    const cb = pick && reviewable(it)
      ? h('input', { type: 'checkbox', class: 'bulk-pick', dataset: { id: it.id }, 'aria-label': 'Chọn hồ sơ này' }) : null;
    if (cb) it.pick = cb;
    return h('tr', { dataset: { id: it.id } },
      pick ? h('td', { class: 'pick' }, cb) : null,
      h('td', {}, h('a', { href, class: 'item-link' }, name),
        it.case_number ? h('span', { class: 'case-number' }, it.case_number) : null,
        it.on_behalf_of_label ? h('span', { class: 'on-behalf' }, it.on_behalf_of_label) : null),
      h('td', {}, award),
      h('td', {}, it.badge = h('span', { class: `badge ${isSession ? 'session' : 'stage'}-${it.stage}` }, it.stage_label || '—'), awaits),
      h('td', {}, it.department_label || '—'),
      h('td', {}, fmtDate(it.started_at)),
      h('td', { class: 'due' }, due, dueBadge(it)));
  });
}

const HEADERS = ['Hồ sơ / phiên họp', 'Hình thức', 'Bước hiện tại', 'Phòng', 'Ngày lập', 'Hạn xử lý'];

function listTitle(roles) {
  if (roles.includes('admin') || roles.some((r) => r.startsWith('council_'))) {
    return ['Tất cả hồ sơ', en('All proposals'), null];
  }
  if (roles.includes('department_head')) return ['Hồ sơ trong phòng', en('Proposals of my department'), null];
  return ['Hồ sơ tôi đã lập', en('Proposals I filed'), null];
}

// Bulk review of the proposals the head picked in the inbox: "Đồng ý trình" endorses
// them all, "Trả lại" returns them all with one reason; each row's result is shown (one
// may fail while the others go through).
function bulkReview(items, ctx) {
  const picks = items.filter((it) => it.pick);
  const all = h('input', { type: 'checkbox', id: 'bulk-all' });
  const count = h('span', { class: 'hint', id: 'bulk-count', 'aria-live': 'polite' });
  const endorse = h('button', { type: 'button', class: 'primary', id: 'bulk-endorse' }, 'Đồng ý trình');
  const ret = h('button', { type: 'button', id: 'bulk-return' }, 'Trả lại');
  const box = msgBox('bulk-msg');
  const out = h('div', { id: 'bulk-result' });
  const chosen = () => picks.filter((it) => it.pick.checked && !it.pick.disabled);
  const update = () => {
    const n = chosen().length;
    const open = picks.filter((it) => !it.pick.disabled);
    count.textContent = `Đã chọn ${n}/${open.length} hồ sơ chờ xác nhận.`;
    all.checked = open.length > 0 && n === open.length;
    all.indeterminate = n > 0 && n < open.length;
    endorse.disabled = n === 0;
    ret.disabled = n === 0;
  };
  for (const it of picks) it.pick.addEventListener('change', update);
  all.addEventListener('change', () => {
    for (const it of picks) if (!it.pick.disabled) it.pick.checked = all.checked;
    update();
  });
  const nameOf = (it) => it.row_name || it.title || 'Hồ sơ đề nghị';
  const list = (sel) => h('ul', { id: 'bulk-confirm-list' }, sel.map((it) => h('li', {}, nameOf(it), it.award_label ? ` (${it.award_label})` : '')));
  const send = async (body, verb) => {
    const res = await runAction([endorse, ret], box, () => post('/api/v1/proposals/bulk-review', body, { idem: newKey() }));
    if (!res || !ctx.alive()) {
      update();
      return;
    }
    const byId = new Map(picks.map((it) => [it.id, it]));
    const rows = (res.items || []).map((r) => {
      const it = byId.get(r.proposal_id);
      if (it) it.pick.checked = false;
      if (r.ok && it) {
        // Done: the row says its new stage and can no longer be picked.
        it.pick.disabled = true;
        it.pick.closest('tr').classList.add('done');
        it.badge.className = `badge stage-${r.stage}`;
        it.badge.textContent = r.stage_label;
      }
      return h('tr', { dataset: { id: r.proposal_id, ok: String(r.ok) } },
        h('td', {}, h('a', { href: `#/proposals/${r.proposal_id}` }, r.nominee_name || (it ? nameOf(it) : 'Hồ sơ đề nghị'))),
        h('td', {}, r.ok ? h('span', { class: 'pass' }, `✓ ${r.stage_label}`) : h('span', { class: 'fail' }, '✗ Không thực hiện được')),
        h('td', {}, r.error ? [r.error.message, r.error.message_en ? en(r.error.message_en) : null] : ''));
    });
    out.replaceChildren(table(`Kết quả: ${res.done} hồ sơ đã ${verb}, ${res.failed} hồ sơ không thực hiện được`,
      ['Hồ sơ', 'Kết quả', 'Lý do'], rows, { class: 'list', id: 'bulk-result-table' }));
    if (res.failed) showError(box, { message: `${res.failed} hồ sơ không thực hiện được; xem lý do trong bảng kết quả.`, messageEn: `${res.failed} not done: see the table` });
    else showOk(box, `Đã ${verb} ${res.done} hồ sơ.`, 'Done.');
    update();
  };
  endorse.addEventListener('click', async () => {
    const sel = chosen();
    if (!sel.length) return;
    const ok = await confirmAction({
      id: 'bulk-endorse-confirm', title: `Đồng ý trình ${sel.length} hồ sơ?`, titleEn: 'Endorse the selected proposals?',
      confirm: 'Đồng ý trình Hội đồng',
      body: [h('p', {}, 'Các hồ sơ sau được xác nhận và chuyển lên Hội đồng Thi đua – Khen thưởng:'), list(sel)],
    });
    if (ok && ctx.alive()) send({ proposal_ids: sel.map((it) => it.id), comment: 'Đồng ý trình Hội đồng' }, 'đồng ý trình');
  });
  ret.addEventListener('click', async () => {
    const sel = chosen();
    if (!sel.length) return;
    const ok = await confirmAction({
      id: 'bulk-return-confirm', title: `Trả lại ${sel.length} hồ sơ?`, titleEn: 'Return the selected proposals?',
      confirm: 'Trả lại để bổ sung', danger: true,
      body: [h('p', {}, 'Các hồ sơ sau được trả lại người lập để bổ sung, cùng một lý do:'), list(sel)],
      reason: { label: 'Lý do trả lại (người lập sẽ đọc)', missing: 'Cần ghi lý do trả lại.' },
    });
    if (!ok || !ctx.alive()) return;
    const except = Object.fromEntries(sel.map((it) => [it.id, { decision: 'return', comment: ok.reason }]));
    send({ proposal_ids: sel.map((it) => it.id), except }, 'trả lại');
  });
  update();
  return h('div', { class: 'bulk-review', id: 'bulk-review' },
    h('div', { class: 'action-row' },
      h('label', { class: 'check', for: 'bulk-all' }, all, ' Chọn tất cả'), count, endorse, ret),
    box, out);
}

// pagedList loads a list a page at a time into wrap: the count ("Đang hiện 20/134
// việc"), "Xem thêm" for the next page, and an empty result that says what was
// filtered. rows(items) makes the rows; after(all) runs once a page is shown.
const PAGE = 20;
function pagedList(ctx, {
  wrap, box, path, bar, noun, ids, headers, rows, after, empty, me,
}) {
  let seq = 0; // the latest load wins: an older answer arriving late is dropped
  const url = (next) => {
    const q = bar.api();
    q.set('limit', String(PAGE));
    if (next) q.set('after', next);
    return `${path}?${q}`;
  };
  return async () => {
    seq += 1;
    const mine = seq;
    wrap.replaceChildren(h('p', { class: 'muted' }, 'Đang tải…'));
    wrap.setAttribute('aria-busy', 'true');
    box.hidden = true;
    try {
      const data = await get(url(''));
      if (!ctx.alive() || mine !== seq) return;
      const items = data.items || [];
      if (!items.length) {
        wrap.replaceChildren(bar.filtered()
          ? h('p', { class: 'empty', id: `${ids.table}-empty` }, `Không có ${noun} nào khớp với bộ lọc: ${bar.describe()}.`, ' ',
            h('button', { type: 'button', class: 'link-button', id: `${ids.table}-unfilter` , onclick: () => bar.el.querySelector('.link-button').click() }, 'Bỏ lọc'))
          : h('p', { class: 'empty', id: `${ids.table}-empty` }, empty));
        return;
      }
      const all = [...items];
      const tbl = table(null, headers(all), rows(items), { class: 'list', id: ids.table });
      const count = h('p', { class: 'hint', id: ids.count, 'aria-live': 'polite' });
      const moreBtn = h('button', { type: 'button', id: ids.more }, 'Xem thêm');
      let next = data.next || '';
      const total = data.total;
      const showCount = () => {
        count.textContent = typeof total === 'number' ? `Đang hiện ${all.length}/${total} ${noun}.` : `Đang hiện ${all.length} ${noun}.`;
        moreBtn.hidden = !next;
      };
      const extra = h('div', {});
      moreBtn.addEventListener('click', async () => {
        moreBtn.disabled = true;
        try {
          const page = await get(url(next));
          if (!ctx.alive() || mine !== seq) return;
          const more = page.items || [];
          tbl.querySelector('tbody').append(...rows(more));
          all.push(...more);
          next = page.next || '';
          showCount();
          if (after) extra.replaceChildren(...after(all));
          await enrich(more, ctx, me);
        } catch (err) {
          if (ctx.alive()) showError(box, err);
        } finally {
          moreBtn.disabled = false;
        }
      });
      showCount();
      if (after) extra.replaceChildren(...after(all));
      wrap.replaceChildren(tbl, h('div', { class: 'actions list-foot' }, count, moreBtn), extra);
      await enrich(items, ctx, me);
    } catch (err) {
      if (ctx.alive() && mine === seq) {
        wrap.replaceChildren();
        showError(box, err);
      }
    } finally {
      if (mine === seq) wrap.removeAttribute('aria-busy');
    }
  };
}

// The open council sessions, for the council: a shortcut at the top of the inbox to
// vote, and for the chair to end the vote.
async function sessionShortcut(el, roles, ctx) {
  const council = roles.filter((r) => r.startsWith('council_'));
  if (!council.length) return;
  try {
    const data = await get('/api/v1/sessions?stage=open&limit=5');
    if (!ctx.alive()) return;
    const chairs = roles.includes('council_chair');
    el.replaceChildren(...(data.items || []).map((it) => h('div', { class: 'card session-shortcut', dataset: { id: it.id } },
      h('strong', {}, 'Phiên họp đang mở: '),
      h('a', { href: `#/sessions/${it.id}`, class: 'shortcut-title' }, it.title || 'Phiên họp Hội đồng'),
      it.case_number ? [' ', h('span', { class: 'case-number' }, `(${it.case_number})`)] : null,
      ' — ',
      h('a', { href: `#/sessions/${it.id}`, class: 'button primary shortcut-vote' }, 'Bỏ phiếu'),
      chairs ? h('a', { href: `#/sessions/${it.id}`, class: 'button shortcut-close' }, 'Kết thúc bỏ phiếu') : null)));
  } catch {
    // A shortcut only: the sessions page says what went wrong.
  }
}

export async function render(root, _params, ctx) {
  const s = currentSession();
  const roles = s.user.roles || [];
  const o = await org();
  const inboxBox = msgBox('inbox-error');
  const inboxWrap = h('div', { id: 'inbox' }, h('p', { class: 'muted' }, 'Đang tải…'));
  const listBox = msgBox('list-error');
  const listWrap = h('div', { id: 'proposals' }, h('p', { class: 'muted' }, 'Đang tải…'));
  const [title, titleEn, note] = listTitle(roles);
  // The same controls on both lists; the task list's keys in the address are plain
  // (#/?stage=submitted&overdue=1), the proposals list's begin with "p_".
  const inboxBar = filterBar(o, { ids: 'inbox', prefix: '', sessions: true, label: 'Lọc hộp việc' });
  const listBar = filterBar(o, {
    ids: 'list', prefix: 'p_', searchId: 'list-search', stageId: 'stage-filter', label: 'Lọc danh sách hồ sơ',
  });
  const shortcut = h('div', { id: 'session-shortcut' });

  mount(root,
    h('div', { class: 'page-head' },
      h('div', {},
        h('h1', {}, 'Trang chủ'),
        h('p', { class: 'lead' }, `Xin chào, ${s.user.name}.`)),
      h('a', { href: '#/new', class: 'button primary', id: 'new-proposal' }, 'Lập hồ sơ đề nghị')),
    h('section', { 'aria-labelledby': 'inbox-h' },
      h('h2', { id: 'inbox-h' }, 'Hộp việc ', en('Inbox — what waits on you')),
      h('p', { class: 'hint' }, h('a', { href: '#/delegations', id: 'inbox-delegations' }, 'Ủy quyền xử lý công việc khi đi vắng')),
      shortcut, inboxBar.el, inboxBox, inboxWrap),
    h('section', { 'aria-labelledby': 'list-h' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'list-h' }, title, ' ', titleEn)),
      listBar.el,
      note ? h('p', { class: 'hint' }, note) : null,
      listBox, listWrap));

  let pick = roles.includes('department_head');
  const loadInbox = pagedList(ctx, {
    wrap: inboxWrap,
    box: inboxBox,
    path: '/api/v1/inbox',
    bar: inboxBar,
    noun: 'việc',
    ids: { table: 'inbox-table', count: 'inbox-count', more: 'more-inbox' },
    headers: (items) => {
      pick = pick || items.some(reviewable);
      return pick ? ['Chọn', ...HEADERS] : HEADERS;
    },
    rows: (items) => itemRows(items, pick),
    after: (all) => (all.some((it) => it.pick) ? [bulkReview(all, ctx)] : []),
    empty: 'Không có việc nào đang chờ bạn.',
    me: s.user,
  });
  const loadList = pagedList(ctx, {
    wrap: listWrap,
    box: listBox,
    path: '/api/v1/proposals',
    bar: listBar,
    noun: 'hồ sơ',
    ids: { table: 'proposals-table', count: 'proposals-count', more: 'more-proposals' },
    headers: () => HEADERS,
    rows: (items) => itemRows(items),
    empty: 'Chưa có hồ sơ nào.',
  });

  // The filters live in the address: a change writes it (a new history entry), and the
  // address (a change, Back, a pasted link) redraws the lists whose filters changed.
  inboxBar.set(ctx.query);
  listBar.set(ctx.query);
  let shown = { inbox: inboxBar.api().toString(), list: listBar.api().toString() };
  const write = () => {
    const q = new URLSearchParams();
    inboxBar.hash(q);
    listBar.hash(q);
    const target = `#/${q.toString() ? `?${q}` : ''}`;
    if (location.hash !== target) location.hash = target;
    else apply(q);
  };
  function apply(query) {
    inboxBar.set(query);
    listBar.set(query);
    const now = { inbox: inboxBar.api().toString(), list: listBar.api().toString() };
    if (now.inbox !== shown.inbox) loadInbox();
    if (now.list !== shown.list) loadList();
    shown = now;
  }
  ctx.onQuery(apply);
  ctx.onLeave(inboxBar.onChange(write));
  ctx.onLeave(listBar.onChange(write));
  await Promise.all([loadInbox(), loadList(), sessionShortcut(shortcut, roles, ctx)]);
}
