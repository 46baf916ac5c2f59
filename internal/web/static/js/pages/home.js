import {
  currentSession, enc, get, newKey, org, post,
} from '../api.js';
import { confirmAction } from '../confirm.js';
import {
  en, fmtDate, h, mount, msgBox, runAction, showError, showOk, table,
} from '../dom.js';

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
      h('td', {}, due));
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

export async function render(root, _params, ctx) {
  const s = currentSession();
  const roles = s.user.roles || [];
  const o = await org();
  const inboxBox = msgBox('inbox-error');
  const inboxWrap = h('div', { id: 'inbox' }, h('p', { class: 'muted' }, 'Đang tải…'));
  const listBox = msgBox('list-error');
  const listWrap = h('div', { id: 'proposals' }, h('p', { class: 'muted' }, 'Đang tải…'));
  const stageSel = h('select', { id: 'stage-filter' },
    h('option', { value: '' }, 'Tất cả các bước'),
    (o.labels?.stages || []).map((c) => h('option', { value: c.code }, c.label)));
  const [title, titleEn, note] = listTitle(roles);
  // Search by name, or by case number ("HS-2026-0042"): the server's q.
  const search = h('input', {
    type: 'search', id: 'list-search', placeholder: 'Tên hoặc số hồ sơ (HS-…)', autocomplete: 'off', spellcheck: 'false',
  });

  mount(root, 
    h('div', { class: 'page-head' },
      h('div', {},
        h('h1', {}, 'Trang chủ'),
        h('p', { class: 'lead' }, `Xin chào, ${s.user.name}.`)),
      h('a', { href: '#/new', class: 'button primary', id: 'new-proposal' }, 'Lập hồ sơ đề nghị')),
    h('section', { 'aria-labelledby': 'inbox-h' },
      h('h2', { id: 'inbox-h' }, 'Hộp việc ', en('Inbox — what waits on you')),
      h('p', { class: 'hint' }, h('a', { href: '#/delegations', id: 'inbox-delegations' }, 'Ủy quyền xử lý công việc khi đi vắng')),
      inboxBox, inboxWrap),
    h('section', { 'aria-labelledby': 'list-h' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'list-h' }, title, ' ', titleEn),
        h('div', { class: 'inline-field list-filters' },
          h('label', { for: 'list-search' }, 'Tìm'), search,
          h('label', { for: 'stage-filter' }, 'Lọc theo bước'), stageSel)),
      note ? h('p', { class: 'hint' }, note) : null,
      listBox, listWrap));

  const loadInbox = async () => {
    try {
      const data = await get('/api/v1/inbox');
      if (!ctx.alive()) return;
      const items = data.items || [];
      const pick = items.some(reviewable);
      inboxWrap.replaceChildren(...(items.length
        ? [table(null, pick ? ['Chọn', ...HEADERS] : HEADERS, itemRows(items, pick), { class: 'list', id: 'inbox-table' }),
          pick ? bulkReview(items, ctx) : null].filter(Boolean)
        : [h('p', { class: 'empty' }, 'Không có việc nào đang chờ bạn.')]));
      await enrich(items, ctx, s.user);
    } catch (err) {
      if (ctx.alive()) {
        inboxWrap.replaceChildren();
        showError(inboxBox, err);
      }
    }
  };
  // One page of the list; more() appends the next one.
  const listURL = (after) => {
    const q = new URLSearchParams();
    if (stageSel.value) q.set('stage', stageSel.value);
    if (search.value.trim()) q.set('q', search.value.trim());
    if (after) q.set('after', after);
    const qs = q.toString();
    return `/api/v1/proposals${qs ? `?${qs}` : ''}`;
  };
  let listSeq = 0; // the latest load wins: an older answer arriving late is dropped
  const loadList = async () => {
    listSeq += 1;
    const mine = listSeq;
    listWrap.replaceChildren(h('p', { class: 'muted' }, 'Đang tải…'));
    listBox.hidden = true;
    try {
      const data = await get(listURL(''));
      if (!ctx.alive() || mine !== listSeq) return;
      const items = data.items || [];
      if (!items.length) {
        listWrap.replaceChildren(h('p', { class: 'empty' }, search.value.trim() ? 'Không tìm thấy hồ sơ nào.' : 'Chưa có hồ sơ nào.'));
        return;
      }
      const tbl = table(null, HEADERS, itemRows(items), { class: 'list', id: 'proposals-table' });
      const count = h('p', { class: 'hint', id: 'proposals-count' });
      const moreBtn = h('button', { type: 'button', id: 'more-proposals' }, 'Xem thêm');
      let shown = items.length;
      let next = data.next || '';
      const showCount = () => {
        count.textContent = typeof data.total === 'number' ? `Đang hiện ${shown}/${data.total} hồ sơ.` : '';
        moreBtn.hidden = !next;
      };
      moreBtn.addEventListener('click', async () => {
        moreBtn.disabled = true;
        try {
          const page = await get(listURL(next));
          if (!ctx.alive()) return;
          const more = page.items || [];
          tbl.querySelector('tbody').append(...itemRows(more));
          shown += more.length;
          next = page.next || '';
          showCount();
          await enrich(more, ctx);
        } catch (err) {
          if (ctx.alive()) showError(listBox, err);
        } finally {
          moreBtn.disabled = false;
        }
      });
      showCount();
      listWrap.replaceChildren(tbl, h('div', { class: 'actions' }, count, moreBtn));
      await enrich(items, ctx);
    } catch (err) {
      if (ctx.alive() && mine === listSeq) {
        listWrap.replaceChildren();
        showError(listBox, err);
      }
    }
  };
  stageSel.addEventListener('change', loadList);
  let searchTimer = 0;
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { if (ctx.alive()) loadList(); }, 300);
  });
  search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(searchTimer);
      loadList();
    }
  });
  ctx.onLeave(() => clearTimeout(searchTimer));
  await Promise.all([loadInbox(), loadList()]);
}
