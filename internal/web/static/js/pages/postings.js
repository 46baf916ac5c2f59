// Public posting (công khai): the lists the council passed and the secretary posted,
// for everyone signed in, each with its window and, per nominee, a form to file an
// objection (phản ánh) while the list is posted.

import { enc, get, newKey, post } from '../api.js';
import {
  en, fmtTime, h, mount, msgBox, runAction, showOk,
} from '../dom.js';

function objectionForm(p, it, i, j, ctx) {
  const id = `objection-${i}-${j}`;
  const text = h('textarea', { id: `${id}-text`, rows: 3, maxlength: 2000, required: true });
  const btn = h('button', { type: 'submit', class: 'primary', id: `${id}-send` }, 'Gửi phản ánh');
  const box = msgBox(`${id}-msg`);
  let key = newKey(); // one per objection: a double click files it once
  const count = h('span', { class: 'badge', id: `${id}-count` }, `${it.objections} phản ánh`);
  const form = h('form', { class: 'objection-form', id, novalidate: true },
    h('div', { class: 'field' }, h('label', { for: text.id }, `Nội dung phản ánh về ${it.nominee_name}`), text),
    h('div', { class: 'actions' }, btn), box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const o = await runAction(btn, box, () => post(`/api/v1/sessions/${enc(p.session_id)}/objections`,
      { proposal_id: it.proposal_id, text: text.value }, { idem: key }));
    if (o && ctx.alive()) {
      showOk(box, `Đã ghi nhận phản ánh lúc ${fmtTime(o.filed_at)}. Người ký quyết định sẽ xem xét.`, 'Objection recorded.');
      text.value = '';
      key = newKey();
      it.objections += 1;
      count.textContent = `${it.objections} phản ánh`;
    }
  });
  return h('details', { class: 'objection', dataset: { proposal: it.proposal_id } },
    h('summary', {}, 'Phản ánh về trường hợp này ', count), form);
}

function postingCard(p, i, ctx) {
  return h('section', { class: 'card posting', id: `posting-${i}`, dataset: { session: p.session_id }, 'aria-labelledby': `posting-${i}-h` },
    h('h2', { id: `posting-${i}-h` }, p.title),
    h('p', { class: 'posting-window', id: `posting-${i}-window` },
      `Công khai từ ${fmtTime(p.starts_at)} đến hết ngày ${p.last_day}`, p.open ? '' : ' (đã kết thúc)', '.'),
    p.citation ? h('p', { class: 'hint' }, `Căn cứ: ${p.citation}.`) : null,
    h('ol', { class: 'posted-list', id: `posting-${i}-items` },
      (p.items || []).map((it, j) => h('li', { dataset: { proposal: it.proposal_id } },
        h('strong', {}, it.nominee_name),
        h('span', { class: 'sub' }, ` — ${it.case_number ? `${it.case_number} · ` : ''}${it.award_type_label} · ${it.kind_label} · ${it.department_label}`),
        p.open ? objectionForm(p, it, i, j, ctx) : null))));
}

export async function render(root, _params, ctx) {
  const data = await get('/api/v1/postings');
  if (!ctx.alive()) return;
  const items = data.items || [];
  mount(root,
    h('h1', {}, 'Công khai danh sách khen thưởng ', en('Posted lists')),
    h('p', { class: 'lead' }, 'Danh sách cá nhân, tập thể được Hội đồng Thi đua – Khen thưởng đề nghị khen thưởng, công khai trước khi ký quyết định. ',
      'Trong thời gian công khai, mọi người có thể gửi phản ánh về từng trường hợp; người ký quyết định xem các phản ánh trước khi ký.'),
    items.length ? items.map((p, i) => postingCard(p, i, ctx))
      : h('p', { class: 'empty', id: 'postings-empty' }, 'Hiện không có danh sách nào đang được công khai.'));
}
