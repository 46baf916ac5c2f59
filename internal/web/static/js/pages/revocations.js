import {
  currentSession, download, enc, get, newKey, org, post,
} from '../api.js';
import {
  en, field, fmtTime, h, mount, msgBox, runAction, showError, showOk,
} from '../dom.js';
import { confirmAction } from '../confirm.js';
import { previewArea, previewButton, previewCache, revokePreviews } from '../preview.js';

// Huỷ bỏ khen thưởng (Luật Thi đua, khen thưởng 2022 Điều 93): the list of revocations,
// the request form (the head or the council secretary picks a decision of the register,
// the awards to revoke, a legal ground and a reason), and one revocation with the
// actions its lifecycle allows the person now: sign or send back, revise or drop, issue.

const money = (n) => `${new Intl.NumberFormat('vi-VN').format(n)} đ`;

const ACTIONS = {
  approve: { label: 'Ký duyệt', en: 'approve and sign', cls: 'primary' },
  send_back: { label: 'Trả lại', en: 'send back', reason: 'Lý do trả lại' },
  revise: { label: 'Sửa đề nghị', en: 'revise', reason: 'Lý do, nội dung đã sửa' },
  abandon: { label: 'Huỷ đề nghị', en: 'drop the request', reason: 'Lý do huỷ đề nghị', danger: true },
  issue: { label: 'Cấp số, đóng dấu, phát hành', en: 'number, seal and issue', cls: 'primary' },
};
const PATHS = { send_back: 'send-back' };

function mayAsk(o) {
  const s = currentSession();
  if (!s) return false;
  const roles = s.user.roles || [];
  return roles.includes('council_secretary') || s.user.id === o.agency.decision.signer;
}

// The request form: a year's decisions from the register, then their awards in force.
function requestForm(o, ctx, onDone) {
  const box = msgBox('revoke-error');
  const now = new Date().getFullYear();
  const year = h('select', { id: 'revoke-year' },
    Array.from({ length: 6 }, (_, i) => now - i).map((y) => h('option', { value: String(y) }, String(y))));
  const decision = h('select', { id: 'revoke-decision' }, h('option', { value: '' }, '— Chọn quyết định —'));
  const awardees = h('fieldset', { id: 'revoke-awardees', class: 'checks' }, h('legend', {}, 'Trường hợp bị huỷ bỏ'));
  const grounds = (o.agency.revocation && o.agency.revocation.grounds) || [];
  const ground = h('select', { id: 'revoke-ground' }, h('option', { value: '' }, '— Chọn căn cứ —'),
    grounds.map((g) => h('option', { value: g.code }, `${g.label_vi} (${g.citation})${g.verified ? '' : ' — chưa đối chiếu'}`)));
  const reason = h('textarea', { id: 'revoke-reason', rows: 3, maxlength: 1000 });
  const submit = h('button', { type: 'button', class: 'danger', id: 'revoke-submit' }, 'Đề nghị huỷ bỏ');
  let byDoc = new Map();
  const key = newKey(); // one request per form: a double click or a retry asks once

  async function loadYear() {
    decision.replaceChildren(h('option', { value: '' }, '— Chọn quyết định —'));
    awardees.replaceChildren(h('legend', {}, 'Trường hợp bị huỷ bỏ'));
    try {
      const list = await get(`/api/v1/awardees?year=${year.value}`);
      if (!ctx.alive()) return;
      byDoc = new Map();
      for (const it of list.items || []) {
        if (!byDoc.has(it.document_id)) byDoc.set(it.document_id, []);
        byDoc.get(it.document_id).push(it);
      }
      for (const [id, items] of byDoc) {
        decision.append(h('option', { value: id }, `${items[0].number_text} — ${items[0].award_type_label || items[0].award_type} (${items.length})`));
      }
    } catch (err) {
      showError(box, err);
    }
  }
  decision.addEventListener('change', () => {
    const items = byDoc.get(decision.value) || [];
    awardees.replaceChildren(h('legend', {}, 'Trường hợp bị huỷ bỏ (để trống: tất cả)'),
      ...items.map((it) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', value: it.proposal_id, 'data-proposal': it.proposal_id }),
        ` ${it.nominee_name}${it.case_number ? ` (${it.case_number})` : ''} — ${money(it.amount)}`)));
  });
  year.addEventListener('change', loadYear);
  submit.addEventListener('click', () => runAction(submit, box, async () => {
    if (!decision.value) throw new Error('Hãy chọn quyết định cần huỷ bỏ.');
    const picked = Array.from(awardees.querySelectorAll('input:checked'), (i) => i.value);
    const body = { document_id: decision.value, ground: ground.value, reason: reason.value };
    if (picked.length) body.awardees = picked;
    const rv = await post('/api/v1/revocations', body, { idem: key });
    showOk(box, 'Đã lập dự thảo quyết định huỷ bỏ, chờ người có thẩm quyền ký.', 'drafted, waiting for the signer');
    onDone(rv);
  }));
  loadYear();
  return h('section', { class: 'card', id: 'revoke-form' },
    h('h2', {}, 'Đề nghị huỷ bỏ khen thưởng ', en('ask to revoke an award')),
    h('p', { class: 'muted' }, 'Quyết định huỷ bỏ được trình ký và văn thư phát hành như quyết định khen thưởng; sổ khen thưởng chỉ ghi nhận khi quyết định huỷ bỏ đã phát hành.'),
    h('div', { class: 'toolbar' }, field(['Năm thành tích ', en('year')], year), field(['Quyết định ', en('decision')], decision)),
    awardees,
    field(['Căn cứ huỷ bỏ ', en('legal ground')], ground),
    field(['Lý do cụ thể ', en('reason')], reason),
    h('div', { class: 'action-row' }, submit), box);
}

function casesTable(cases) {
  if (!cases.length) return h('p', { class: 'empty', id: 'revocations-empty' }, 'Chưa có đề nghị huỷ bỏ nào.');
  return h('table', { id: 'revocations-table' },
    h('caption', {}, 'Các đề nghị huỷ bỏ ', en('revocations')),
    h('thead', {}, h('tr', {}, ['Quyết định gốc', 'Căn cứ', 'Trạng thái', 'Quyết định huỷ bỏ', 'Cập nhật'].map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, cases.map((c) => h('tr', {},
      h('td', { 'data-label': 'Quyết định gốc' }, h('a', { href: `#/revocations/${c.id}` }, c.original_number || c.document_id)),
      h('td', { 'data-label': 'Căn cứ' }, c.ground_label || c.ground),
      h('td', { 'data-label': 'Trạng thái' }, c.status_label),
      h('td', { 'data-label': 'Quyết định huỷ bỏ' }, c.issued_number || '—'),
      h('td', { 'data-label': 'Cập nhật' }, fmtTime(c.updated_at))))));
}

async function renderList(root, ctx) {
  const [o, list] = await Promise.all([org(), get('/api/v1/revocations')]);
  if (!ctx.alive()) return;
  mount(root,
    h('h1', { tabindex: '-1' }, 'Huỷ bỏ khen thưởng ', en('Revocations')),
    mayAsk(o) ? requestForm(o, ctx, (rv) => ctx.go(`/revocations/${rv.id}`)) : null,
    casesTable(list.revocations || []));
}

function detail(rv, ctx, rerender, previews) {
  const box = msgBox('revocation-error');
  const buttons = (rv.actions || []).map((a) => h('button', {
    type: 'button', id: `rv-${a}`, class: ACTIONS[a].cls || (ACTIONS[a].danger ? 'danger' : ''),
  }, ACTIONS[a].label));
  buttons.forEach((b, i) => {
    const a = rv.actions[i];
    b.addEventListener('click', async () => {
      let body = null;
      if (ACTIONS[a].reason) {
        const ok = await confirmAction({
          id: `rv-${a}-dialog`, title: ACTIONS[a].label, titleEn: ACTIONS[a].en, confirm: ACTIONS[a].label,
          danger: ACTIONS[a].danger, body: [], reason: { label: ACTIONS[a].reason, value: a === 'revise' ? rv.reason : '', missing: 'Cần ghi lý do.' },
        });
        if (!ok) return;
        body = { reason: ok.reason };
      }
      const next = await runAction(buttons, box, () => post(`/api/v1/revocations/${enc(rv.id)}/${PATHS[a] || a}`, body, { idem: newKey() }));
      if (next && ctx.alive()) rerender(next);
    });
  });
  // [download text, preview text, what, file]: the files this revocation has so far.
  const files = [
    rv.document.draft && ['Tải dự thảo', 'Xem dự thảo', 'dự thảo', 'draft'],
    rv.document.signed && ['Tải bản đã ký', 'Xem bản đã ký', 'bản đã ký', 'signed'],
    rv.document.issued && ['Tải quyết định đã phát hành', 'Xem quyết định đã phát hành', 'quyết định đã phát hành', 'issued'],
  ].filter(Boolean);
  const path = (f) => `/api/v1/revocations/${enc(rv.id)}/files/${f}`;
  const fileButtons = files.map(([text, , , f]) => {
    const b = h('button', { type: 'button', id: `rv-file-${f}` }, text);
    b.addEventListener('click', () => runAction(b, box, () => download(path(f), `${rv.id}-${f}.pdf`)));
    return b;
  });
  // The preview, with the verify API's panel beside the signed and the issued file.
  const area = previewArea(previews, rv.id, 'revocation-preview', box, ctx.alive);
  const shownFiles = files.map(([, , what, f]) => ({
    key: `${path(f)}|${rv.document.revision || 0}`, slot: f, path: path(f), name: `${rv.id}-${f}.pdf`, what, want: 'pdf',
    title: `Bản xem ${what} huỷ bỏ khen thưởng`, data: { file: f }, verify: f !== 'draft',
  }));
  const viewButtons = files.map(([, view, , f], i) => previewButton(area, shownFiles[i], view, { id: `rv-view-${f}`, dataset: { file: f } }));
  const issued = rv.document.issued;
  return [
    h('h1', { tabindex: '-1' }, 'Huỷ bỏ khen thưởng tại Quyết định ', rv.original_number.replace(/^Số:?\s*/, 'số ')),
    h('dl', { class: 'facts', id: 'revocation-facts' },
      h('dt', {}, 'Trạng thái'), h('dd', { id: 'revocation-status' }, rv.status_label),
      h('dt', {}, 'Căn cứ'), h('dd', {}, `${rv.ground_label} (${rv.ground_citation})`),
      h('dt', {}, 'Lý do'), h('dd', { id: 'revocation-reason' }, rv.reason),
      h('dt', {}, 'Tiền thưởng phải nộp lại'), h('dd', { id: 'revocation-recovery' }, money(rv.recovery)),
      issued ? [h('dt', {}, 'Quyết định huỷ bỏ'), h('dd', { id: 'revocation-number' }, issued.number_text)] : null,
      rv.document.sent_back_reason && rv.status === 'sent_back'
        ? [h('dt', {}, 'Lý do trả lại'), h('dd', { id: 'revocation-sent-back' }, rv.document.sent_back_reason)] : null),
    h('table', { id: 'revocation-awardees' },
      h('caption', {}, 'Khen thưởng bị huỷ bỏ ', en('awards revoked')),
      h('thead', {}, h('tr', {}, ['Họ và tên / tập thể', 'Năm', 'Tiền thưởng'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, (rv.awardees || []).map((x) => h('tr', {},
        h('td', { 'data-label': 'Họ và tên' }, x.name,
          (rv.case_numbers || {})[x.proposal_id] ? h('span', { class: 'case-number' }, rv.case_numbers[x.proposal_id]) : null),
        h('td', { 'data-label': 'Năm' }, String(x.year)),
        h('td', { 'data-label': 'Tiền thưởng' }, money(x.amount)))))),
    h('div', { class: 'action-row', id: 'revocation-actions' }, buttons, viewButtons, fileButtons),
    box,
    area.restore(shownFiles, viewButtons),
    h('h2', {}, 'Lịch sử ', en('history')),
    h('ol', { class: 'history', id: 'revocation-history' }, (rv.history || []).map((e) => h('li', {},
      `${fmtTime(e.at)} — ${e.actor_label || e.actor}: ${e.action_label || e.action}${e.reason ? ` (${e.reason})` : ''}`))),
    h('p', {}, h('a', { href: '#/revocations' }, 'Về danh sách huỷ bỏ')),
  ];
}

export async function render(root, params, ctx) {
  if (!params[0]) {
    await renderList(root, ctx);
    return;
  }
  const previews = previewCache();
  ctx.onLeave(() => revokePreviews(previews));
  const show = (rv) => mount(root, ...detail(rv, ctx, show, previews));
  const rv = await get(`/api/v1/revocations/${enc(params[0])}`);
  if (!ctx.alive()) return;
  show(rv);
}
