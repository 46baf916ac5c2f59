import { enc, get } from '../api.js';
import {
  en, fmtDate, h, mount, table,
} from '../dom.js';

// A person's or a unit's award history (quá trình khen thưởng), from the award register:
// every award by year with its decision's number and date, revoked ones marked, and for
// a submission upward (tờ trình) the higher body's answer when the văn thư recorded it.
// params: ['people' | 'units', id].

const money = (n) => `${new Intl.NumberFormat('vi-VN').format(n)} đ`;

function documentCell(it) {
  const parts = [h('strong', {}, it.number_text || '—'), h('br'),
    h('span', { class: 'sub' }, `${it.document_kind === 'submission' ? 'Tờ trình' : 'Quyết định'} ngày ${fmtDate(it.issued_at)}`)];
  return parts;
}

function resultCell(it) {
  if (it.revoked) {
    return h('span', { class: 'badge revoked' }, 'Đã thu hồi');
  }
  if (it.document_kind !== 'submission') return h('span', { class: 'badge awarded' }, 'Còn hiệu lực');
  if (!it.upward) return h('span', { class: 'badge pending' }, 'Đã trình cấp trên, chưa có kết quả');
  const u = it.upward;
  return h('span', {},
    h('span', { class: `badge ${u.awarded ? 'awarded' : 'not-awarded'}` }, u.label), h('br'),
    h('span', { class: 'sub' }, `${u.body}: ${u.number_text}, ngày ${u.date.split('-').reverse().join('/')}`),
    u.note ? h('span', { class: 'sub prewrap' }, h('br'), u.note) : null);
}

export async function render(root, params) {
  const [what, id] = params;
  const unit = what === 'units';
  const data = await get(`/api/v1/directory/${unit ? 'units' : 'people'}/${enc(id)}/awards`);
  const items = data.items || [];
  const byYear = new Map();
  for (const it of items) {
    if (!byYear.has(it.year)) byYear.set(it.year, []);
    byYear.get(it.year).push(it);
  }
  const years = [...byYear.keys()].sort((a, b) => b - a);
  const sections = years.map((y) => h('section', { class: 'history-year', dataset: { year: String(y) } },
    h('h2', {}, `Năm ${y}`),
    table(null, ['Hình thức khen thưởng', 'Văn bản', 'Tiền thưởng', 'Tình trạng'],
      byYear.get(y).map((it) => h('tr', {
        class: it.revoked ? 'is-revoked' : '',
        dataset: { document: it.document_id, proposal: it.proposal_id },
      },
      h('td', { 'data-label': 'Hình thức' }, h('strong', {}, it.award_type_label), h('br'),
        h('span', { class: 'sub' }, unit ? it.kind_label : `${it.kind_label}${it.unit_label ? `, ${it.unit_label}` : ''}`)),
      h('td', { 'data-label': 'Văn bản' }, documentCell(it)),
      h('td', { 'data-label': 'Tiền thưởng', class: 'num' }, it.amount ? money(it.amount) : '—'),
      h('td', { 'data-label': 'Tình trạng' }, resultCell(it)))),
      { class: 'list history-table' })));
  const live = items.filter((it) => !it.revoked && it.document_kind !== 'submission').length;
  mount(root,
    h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Trang chủ'), ' › Quá trình khen thưởng'),
    h('h1', { tabindex: '-1' }, 'Quá trình khen thưởng ', en('Award history')),
    h('p', { class: 'lead', id: 'history-subject' }, h('strong', {}, data.subject_label)),
    items.length
      ? h('p', { id: 'history-summary' }, `${live} lượt khen thưởng còn hiệu lực; ${items.length} văn bản trong sổ khen thưởng.`)
      : h('p', { class: 'empty', id: 'history-empty' }, 'Chưa có khen thưởng nào trong sổ khen thưởng.'),
    sections);
}
