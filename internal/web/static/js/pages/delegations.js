// Ủy quyền xử lý công việc: a department head (or a reviewer of heads' proposals), the
// council secretary or the văn thư going on leave hands the tasks they hold by their role
// (the review of proposals; the secretary's preparing work; the văn thư's numbering,
// sealing and issuing) to a colleague for a period; the colleague sees those tasks in
// their inbox "Thay mặt …" and acts; it ends by itself after its last day and can be
// withdrawn early. The scopes offered, their labels and the people each may go to come
// from the server's answer (data.scopes), as do statuses and what cannot be delegated.

import { enc, get, newKey, post } from '../api.js';
import { confirmAction } from '../confirm.js';
import {
  en, field, fmtTime, h, mount, msgBox, runAction, showOk, table,
} from '../dom.js';

const viDate = (d) => (d ? d.split('-').reverse().join('/') : '');

function addDays(iso, n) {
  const t = new Date(`${iso}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

function form(data, ctx, reload, keptBox) {
  const box = keptBox || msgBox('delegation-msg'); // the last answer stays shown after a reload
  const scopes = data.scopes && data.scopes.length ? data.scopes : [{ scope: 'review', label: '', candidates: data.candidates }];
  const to = h('select', { id: 'delegation-to', required: true });
  const hint = h('span', { id: 'delegation-scope-hint' });
  const fillTo = (sc) => {
    mount(to, h('option', { value: '' }, '— Chọn người nhận ủy quyền —'),
      sc.candidates.map((c) => h('option', { value: c.id }, c.label)));
    mount(hint, `Việc được ủy quyền: ${sc.hint || sc.label}. `);
  };
  const scope = h('select', { id: 'delegation-scope', required: true },
    scopes.map((sc) => h('option', { value: sc.scope }, sc.label)));
  scope.addEventListener('change', () => fillTo(scopes.find((sc) => sc.scope === scope.value) || scopes[0]));
  fillTo(scopes[0]);
  const start = h('input', { type: 'date', id: 'delegation-start', required: true, value: data.today, min: data.today });
  const end = h('input', {
    type: 'date', id: 'delegation-end', required: true, value: addDays(data.today, 6), min: data.today, max: addDays(data.today, data.max_days - 1),
  });
  start.addEventListener('change', () => {
    end.min = start.value;
    end.max = addDays(start.value, data.max_days - 1);
  });
  const reason = h('input', {
    type: 'text', id: 'delegation-reason', required: true, maxlength: 500, placeholder: 'Ví dụ: nghỉ phép năm, đi công tác', autocomplete: 'off',
  });
  const btn = h('button', { type: 'submit', class: 'primary', id: 'delegation-submit' }, 'Ủy quyền');
  let key = newKey(); // one delegation per form: a double click or a retry records it once
  const el = h('form', { class: 'card', id: 'delegation-form', novalidate: true, 'aria-labelledby': 'delegation-form-h' },
    h('h2', { id: 'delegation-form-h' }, 'Ủy quyền mới ', en('New delegation')),
    h('p', { class: 'hint' }, hint,
      `Thời hạn tối đa ${data.max_days} ngày; ủy quyền tự hết hiệu lực sau ngày kết thúc.`),
    scopes.length > 1 || scopes[0].label ? field('Việc ủy quyền', scope) : null,
    field('Người nhận ủy quyền', to),
    h('div', { class: 'field-row' },
      field('Từ ngày', start),
      field('Đến hết ngày', end)),
    field('Lý do', reason),
    h('div', { class: 'actions' }, btn),
    box);
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    const d = await runAction(btn, box, () => post('/api/v1/delegations',
      {
        scope: scope.value, to_id: to.value, start: start.value, end: end.value, reason: reason.value,
      }, { idem: key }));
    if (d && ctx.alive()) {
      key = newKey();
      showOk(box, `Đã ủy quyền cho ${d.to_label} từ ${viDate(d.start)} đến hết ${viDate(d.end)}. Người nhận đã được thông báo.`,
        'Delegation recorded; the delegate was notified.');
      reload(box);
    }
  });
  return el;
}

function rows(items, ctx, reload) {
  return items.map((d) => {
    const box = msgBox(`withdraw-msg-${d.id}`);
    const btn = d.can_withdraw
      ? h('button', { type: 'button', class: 'danger small', id: `withdraw-${d.id}` }, 'Thu hồi') : null;
    if (btn) {
      btn.addEventListener('click', async () => {
        const ok = await confirmAction({
          id: 'withdraw-confirm',
          title: 'Thu hồi ủy quyền?',
          titleEn: 'Withdraw the delegation?',
          body: [h('p', {}, `${d.to_label} sẽ không còn làm thay ${d.from_label} việc “${d.scope_label}” từ bây giờ.`)],
          confirm: 'Thu hồi',
          danger: true,
        });
        if (!ok) return;
        const out = await runAction(btn, box, () => post(`/api/v1/delegations/${enc(d.id)}/withdraw`));
        if (out && ctx.alive()) reload(null, 'Đã thu hồi ủy quyền.');
      });
    }
    return h('tr', { dataset: { id: d.id, status: d.status } },
      h('td', {}, d.from_label),
      h('td', {}, d.to_label),
      h('td', {}, `${viDate(d.start)} – ${viDate(d.end)}`),
      h('td', {}, d.scope_label, h('div', { class: 'sub' }, d.reason)),
      h('td', {}, h('span', { class: `badge delegation-${d.status}` }, d.status_label),
        d.withdrawn_at ? h('div', { class: 'sub' }, `lúc ${fmtTime(d.withdrawn_at)}`) : null),
      h('td', {}, btn, box));
  });
}

export async function render(root, _params, ctx) {
  const pageBox = msgBox('delegations-msg');
  const wrap = h('div', { id: 'delegations' });
  const load = async (keepBox, note) => {
    const data = await get('/api/v1/delegations');
    if (!ctx.alive()) return;
    const items = data.items || [];
    mount(wrap,
      data.can_delegate && (data.scopes || []).some((sc) => sc.candidates.length) ? form(data, ctx, load, keepBox) : null,
      h('section', { 'aria-labelledby': 'delegations-h' },
        h('h2', { id: 'delegations-h' }, 'Các ủy quyền ', en('Delegations')),
        items.length
          ? table(null, ['Người ủy quyền', 'Người nhận', 'Thời gian', 'Việc', 'Tình trạng', ''], rows(items, ctx, load),
            { class: 'list', id: 'delegations-table' })
          : h('p', { class: 'empty', id: 'delegations-empty' }, 'Chưa có ủy quyền nào liên quan đến bạn.')),
      h('p', { class: 'hint', id: 'not-delegable' }, data.not_delegable));
    if (note) showOk(pageBox, note, 'Withdrawn.');
  };
  mount(root,
    h('h1', {}, 'Ủy quyền xử lý công việc ', en('Delegating your tasks')),
    h('p', { class: 'lead' }, 'Khi đi vắng, lãnh đạo phòng ủy quyền cho cấp phó hoặc người cùng đơn vị xác nhận hồ sơ thay mình; thư ký Hội đồng và văn thư ủy quyền công việc của mình cho đồng nghiệp trong một thời gian. ',
      'Người được ủy quyền thấy các việc đó trong Hộp việc; lịch sử hồ sơ và văn bản ghi rõ ai làm thay ai.'),
    pageBox, wrap);
  await load();
}
