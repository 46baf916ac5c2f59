import { currentSession, enc, get, newKey, org, post } from '../api.js';
import {
  en, field, fmtDate, h, mount, msgBox, runAction, showError, table,
} from '../dom.js';

// GET /api/v1/sessions lists the sessions newest first; the details (agenda size,
// ballots cast) of the most recent ones are fetched to fill the table.
const DETAIL_LIMIT = 40;

async function pool(items, n, f) {
  const queue = items.slice();
  const out = [];
  await Promise.all(Array.from({ length: n }, async () => {
    while (queue.length) {
      const it = queue.shift();
      try {
        out.push(await f(it));
      } catch {
        // skipped: one unreadable item does not hide the others
      }
    }
  }));
  return out;
}

function openForm(ctx, o) {
  const year = new Date().getFullYear();
  const title = h('input', { id: 'session-title', value: `Xét khen thưởng năm ${year}` });
  const listWrap = h('div', { id: 'endorsed' }, h('p', { class: 'muted' }, 'Đang tải danh sách hồ sơ chờ Hội đồng xét…'));
  const btn = h('button', { type: 'submit', class: 'primary', id: 'open-session-btn' }, 'Mở phiên họp');
  const box = msgBox('open-error');
  const key = newKey();
  const form = h('form', { id: 'open-form', novalidate: true },
    field(['Tên phiên họp ', en('Title')], title),
    h('h3', {}, 'Hồ sơ đưa ra phiên họp ', en('Proposals on the agenda')),
    listWrap,
    h('div', { class: 'actions' }, btn), box);

  (async () => {
    try {
      // Every endorsed proposal, page by page (the `next` cursor).
      let items = [];
      let after = '';
      do {
        const data = await get(`/api/v1/proposals?stage=endorsed${after ? `&limit=200&after=${enc(after)}` : ''}`);
        items = items.concat((data.items || []).filter((it) => it.running !== false));
        after = data.next || '';
      } while (after && ctx.alive());
      const props = await pool(items, 4, (it) => get(`/api/v1/proposals/${enc(it.id)}`));
      if (!ctx.alive()) return;
      if (!props.length) {
        listWrap.replaceChildren(h('p', { class: 'empty' }, 'Không có hồ sơ nào đang chờ Hội đồng xét.'));
        return;
      }
      const rows = props.map((p, i) => h('tr', {},
        h('td', {}, h('input', { type: 'checkbox', class: 'pick', id: `pick-${i}`, value: p.id, checked: true })),
        h('td', {}, h('label', { for: `pick-${i}` }, p.nominee_name),
          p.case_number ? h('span', { class: 'case-number' }, p.case_number) : null),
        h('td', {}, p.award_type_label),
        h('td', {}, p.department_label)));
      listWrap.replaceChildren(table(null, ['Chọn', 'Người / tập thể được đề nghị', 'Hình thức', 'Phòng'], rows, { class: 'list', id: 'endorsed-table' }));
    } catch (err) {
      if (ctx.alive()) {
        listWrap.replaceChildren();
        showError(box, err);
      }
    }
  })();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const ids = [...form.querySelectorAll('input.pick:checked')].map((x) => x.value);
    if (!ids.length) {
      // An empty list would mean "every endorsed proposal" to the server: never send it
      // on behalf of someone who unticked everything.
      showError(box, { message: 'Chọn ít nhất một hồ sơ để đưa ra phiên họp.', messageEn: 'Tick at least one proposal.' });
      return;
    }
    const s = await runAction(btn, box, () => post('/api/v1/sessions', { title: title.value, proposal_ids: ids }, { idem: key }));
    if (s && ctx.alive()) ctx.go(`/sessions/${s.id}`);
  });
  return h('section', { class: 'card', 'aria-labelledby': 'open-h' },
    h('h2', { id: 'open-h' }, 'Mở phiên họp mới ', en('Open a council session')), form);
}

export async function render(root, _params, ctx) {
  const me = currentSession().user;
  const roles = me.roles || [];
  const o = await org();
  const found = h('div', { id: 'session-list' }, h('p', { class: 'muted' }, 'Đang tìm các phiên họp…'));
  const box = msgBox('sessions-error');
  const goInput = h('input', { id: 'session-id', placeholder: 'PH-2026-01', autocomplete: 'off', spellcheck: 'false' });
  const goBtn = h('button', { type: 'submit' }, 'Mở');
  const goBox = msgBox('goto-error');
  const goForm = h('form', { class: 'inline-form', id: 'goto-session' },
    h('label', { for: 'session-id' }, 'Mở phiên họp theo số'), goInput, goBtn, goBox);
  goForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = goInput.value.trim();
    if (!v) return;
    if (/^session-[0-9a-f]+$/.test(v)) {
      ctx.go(`/sessions/${v}`);
      return;
    }
    // A case number (PH-2026-03, as typed): the list's search finds its session.
    const found = await runAction(goBtn, goBox, () => get(`/api/v1/sessions?q=${enc(v)}&limit=2`));
    if (!found || !ctx.alive()) return;
    const items = found.items || [];
    if (items.length === 1) ctx.go(`/sessions/${items[0].id}`);
    else showError(goBox, { message: `Không tìm thấy phiên họp số “${v}”.`, messageEn: 'no session has this number' });
  });

  mount(root, 
    h('h1', {}, 'Phiên họp Hội đồng ', en('Council sessions')),
    roles.includes('council_secretary') ? openForm(ctx, o) : null,
    h('section', { class: 'card', 'aria-labelledby': 'list-h' },
      h('h2', { id: 'list-h' }, 'Các phiên họp ', en('Sessions')), box, found, goForm));

  try {
    const list = await get('/api/v1/sessions');
    const ids = (list.items || []).slice(0, DETAIL_LIMIT).map((it) => it.id);
    const sessions = await pool(ids, 4, (id) => get(`/api/v1/sessions/${enc(id)}`));
    if (!ctx.alive()) return;
    sessions.sort((a, b) => (a.opened_at < b.opened_at ? 1 : -1));
    found.replaceChildren(sessions.length
      ? table(null, ['Phiên họp', 'Tình trạng', 'Ngày mở', 'Số hồ sơ', 'Đã bỏ phiếu'], sessions.map((s) => [
        [h('a', { href: `#/sessions/${s.id}` }, s.title), s.case_number ? h('span', { class: 'case-number' }, s.case_number) : null],
        h('span', { class: `badge session-${s.status}` }, s.status_label),
        fmtDate(s.opened_at),
        String((s.agenda || []).length),
        `${(s.voted || []).length}/${(s.members || []).filter((m) => m.votes).length}`,
      ]), { class: 'list', id: 'sessions-table' })
      : h('p', { class: 'empty' }, 'Chưa có phiên họp nào.'));
  } catch (err) {
    if (ctx.alive()) {
      found.replaceChildren();
      showError(box, err);
    }
  }
}
