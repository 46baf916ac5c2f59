import { currentSession, download, enc, get, newKey, org, post, put, request } from '../api.js';
import { confirmAction } from '../confirm.js';
import {
  clearMsg, en, fmtSize, h, mount, msgBox, runAction, showError, showOk, table, timeEl,
} from '../dom.js';
import { draftForm } from './create.js';

const EDITABLE = new Set(['draft', 'returned']);

// The road a proposal travels, for the progress line at the top.
const STEPS = [
  ['Lập hồ sơ', ['draft', 'returned']],
  ['Lãnh đạo phòng xác nhận', ['submitted', 'rejected']],
  ['Hội đồng xét', ['endorsed', 'in_session']],
  ['Kết quả', ['awarded', 'not_awarded', 'proposed_upward']],
];

function steps(stage) {
  const cur = STEPS.findIndex(([, st]) => st.includes(stage));
  return h('ol', { class: 'steps', 'aria-label': 'Tiến trình hồ sơ' },
    STEPS.map(([label], i) => h('li', {
      class: i < cur ? 'done' : i === cur ? 'current' : '',
      'aria-current': i === cur ? 'step' : null,
    }, label)));
}

function dl(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v || '—')]));
}

export async function render(root, params, ctx) {
  const id = params[0];
  const me = currentSession().user;
  const [first, o] = await Promise.all([get(`/api/v1/proposals/${enc(id)}`), org()]);
  if (!ctx.alive()) return;
  const council = (me.roles || []).some((r) => r.startsWith('council_')) || (me.roles || []).includes('admin');
  // Objections filed against this nominee while the council's list was posted: for
  // those who may read the session (the council, the signer, admins).
  let objections = null;
  const sessionId = first.session_id || (first.outcome && first.outcome.session_id);
  if (sessionId && council) {
    try {
      const all = (await get(`/api/v1/sessions/${enc(sessionId)}/objections`)).items || [];
      objections = all.filter((x) => x.proposal_id === id);
    } catch {
      // no records store, or not allowed: nothing to show
    }
    if (!ctx.alive()) return;
  }

  let flash = null; // [vi, en] shown once after a successful action

  const draw = (p) => {
    const isProposer = p.proposer_id === me.id;
    const editable = isProposer && EDITABLE.has(p.stage);
    const waitsOnMe = (p.assignees || []).includes(me.id);
    const flashBox = h('div', { class: 'msg', id: 'flash', role: 'status', hidden: true });
    if (flash) showOk(flashBox, flash[0], flash[1]);
    flash = null;

    // Each action sends the response's proposal straight back into the page.
    const act = async (buttons, box, call, done) => {
      const next = await runAction(buttons, box, call);
      if (next && ctx.alive()) {
        flash = done;
        draw(next.proposal || next);
      }
    };

    mount(root, 
      h('nav', { class: 'crumbs', 'aria-label': 'Vị trí' }, h('a', { href: '#/' }, 'Trang chủ'), ' › Hồ sơ đề nghị'),
      h('div', { class: 'page-head' },
        h('div', {},
          h('h1', {}, p.nominee_name),
          h('p', { class: 'lead' }, `${p.award_type_label} · ${p.kind_label} · ${p.department_label}`)),
        h('div', { class: 'badges' },
          h('p', { class: `badge big stage-${p.stage}`, id: 'stage', dataset: { stage: p.stage } }, p.stage_label),
          p.overdue ? h('p', { class: 'badge big overdue', id: 'overdue' }, 'Quá hạn xác nhận') : null)),
      steps(p.stage),
      flashBox,
      actions(p, { isProposer, editable, waitsOnMe, act, ctx }),
      outcome(p, council, o),
      objectionsCard(objections),
      eligibility(p),
      h('section', { 'aria-labelledby': 'info-h', class: 'card' },
        h('h2', { id: 'info-h' }, 'Thông tin hồ sơ ', en('Details')),
        dl([
          ['Hình thức khen thưởng', p.award_type_label],
          ['Phong trào thi đua', p.movement_label],
          ['Đối tượng', p.kind_label],
          ['Chức vụ', p.nominee_position],
          ['Phòng', p.department_label],
          ['Người lập', p.proposer_label],
          ['Căn cứ xét khen thưởng', p.rule_set_label],
          (p.assignee_labels || []).length && !['draft', 'returned'].includes(p.stage)
            ? ['Đang chờ', p.assignee_labels.join('; ')] : null,
          ['Ngày lập', timeEl(p.created_at)],
          ['Cập nhật lần cuối', timeEl(p.updated_at)],
        ]),
        h('h3', {}, 'Thành tích tóm tắt'),
        h('p', { class: 'prewrap', id: 'achievements-text' }, p.achievements || 'Chưa nêu thành tích.'),
        editable ? revise(p, o, me, act) : null),
      // Evidence before the self-assessment: a file is uploaded first and then linked to
      // criteria, and an upload redraws the page (unsaved ticks would be lost).
      evidence(p, editable, act),
      selfAssessment(p, editable, act),
      history(p, council));
  };
  draw(first);
}

function actions(p, { isProposer, editable, waitsOnMe, act, ctx }) {
  const parts = [];
  if (isProposer && editable) {
    const back = p.stage === 'returned' ? [...(p.history || [])].reverse().find((e) => e.action === 'return') : null;
    if (back) {
      parts.push(h('p', { class: 'msg error', id: 'returned-note' },
        h('span', { class: 'msg-text' }, `${back.actor} trả lại hồ sơ: ${back.comment}`),
        en('Returned for revision; fix and send again.')));
    }
    const btn = h('button', { type: 'button', class: 'primary', id: 'submit-btn' }, 'Gửi lãnh đạo phòng xác nhận');
    const box = msgBox('submit-error');
    btn.addEventListener('click', () => act(btn, box,
      () => post(`/api/v1/proposals/${enc(p.id)}/submit`, undefined, { idem: newKey() }),
      ['Đã gửi hồ sơ cho lãnh đạo phòng.', 'Sent to the department head.']));
    parts.push(h('div', { class: 'action-row' }, btn,
      h('p', { class: 'hint' }, 'Trước khi gửi: tải minh chứng lên và tự đánh giá đủ các tiêu chí.')), box);
  }
  if (waitsOnMe && p.stage === 'submitted') {
    const comment = h('textarea', { id: 'review-comment', rows: 3, 'aria-describedby': 'review-comment-hint' });
    const endorse = h('button', { type: 'button', class: 'primary', id: 'endorse-btn' }, 'Xác nhận');
    const ret = h('button', { type: 'button', id: 'return-btn' }, 'Trả lại');
    const reject = h('button', { type: 'button', class: 'danger', id: 'reject-btn' }, 'Không xác nhận');
    const box = msgBox('review-error');
    const all = [endorse, ret, reject];
    const review = (verb, done) => () => act(all, box,
      () => post(`/api/v1/proposals/${enc(p.id)}/${verb}`, { comment: comment.value }, { idem: newKey() }), done);
    endorse.addEventListener('click', review('endorse', ['Đã xác nhận hồ sơ; hồ sơ chuyển lên Hội đồng.', 'Endorsed.']));
    ret.addEventListener('click', review('return', ['Đã trả lại hồ sơ để bổ sung.', 'Returned for revision.']));
    // Rejecting ends the proposal for good: ask first, in a dialog that says so and shows
    // the reason that will be recorded. Endorse and return stay one click.
    const doReject = review('reject', ['Đã không xác nhận hồ sơ.', 'Rejected.']);
    reject.addEventListener('click', async () => {
      if (reject.disabled) return;
      const reason = comment.value.trim();
      const yes = await confirmAction({
        id: 'reject-dialog',
        title: 'Không xác nhận hồ sơ?',
        titleEn: 'Reject this proposal?',
        danger: true,
        confirm: 'Không xác nhận hồ sơ',
        cancel: 'Quay lại',
        body: [
          h('p', {}, `Hồ sơ đề nghị khen thưởng ${p.nominee_name} (${p.award_type_label}) sẽ kết thúc ở bước “Không được xác nhận”. `,
            'Người lập không sửa và gửi lại được hồ sơ này. Muốn người lập bổ sung, hãy chọn “Trả lại”.'),
          reason ? [h('p', {}, 'Lý do sẽ được ghi vào lịch sử hồ sơ:'), h('p', { class: 'quote', id: 'reject-dialog-reason' }, reason)]
            : h('p', { class: 'hint' }, 'Bạn chưa ghi lý do; hệ thống sẽ yêu cầu ghi lý do trước khi không xác nhận.'),
        ],
      });
      if (yes && ctx.alive()) doReject();
    });
    parts.push(
      h('div', { class: 'field' },
        h('label', { for: 'review-comment' }, 'Ý kiến của lãnh đạo phòng ', en('Comment')),
        comment,
        h('p', { class: 'hint', id: 'review-comment-hint' }, 'Bắt buộc ghi rõ lý do khi trả lại hoặc không xác nhận.')),
      h('div', { class: 'action-row' }, all), box);
  }
  if (!parts.length) return null;
  return h('section', { class: 'card action-card', id: 'actions', 'aria-labelledby': 'actions-h' },
    h('h2', { id: 'actions-h' }, 'Việc cần làm ', en('Your action')), parts);
}

function outcome(p, council, org) {
  const o = p.outcome;
  if (!o) {
    if (p.session_id && council) {
      return h('p', { class: 'card' }, 'Hồ sơ đang được xét tại ', h('a', { href: `#/sessions/${p.session_id}` }, 'phiên họp Hội đồng'), '.');
    }
    return null;
  }
  const box = msgBox('decision-error');
  let doc = null;
  if (o.decision_id) {
    const btn = h('button', { type: 'button', id: 'decision-download' },
      o.upward ? `Tải tờ trình ${o.decision_number}` : `Tải quyết định ${o.decision_number}`);
    btn.addEventListener('click', () => runAction(btn, box,
      () => download(`/api/v1/decisions/${enc(o.decision_id)}/pdf`, `${o.decision_id}.pdf`)));
    doc = h('div', { class: 'action-row' }, btn, box);
  }
  return h('section', { class: `card outcome ${o.passed ? 'passed' : 'failed'}`, id: 'outcome', 'aria-labelledby': 'outcome-h' },
    h('h2', { id: 'outcome-h' }, 'Kết quả xét của Hội đồng ', en('Council outcome')),
    dl([
      ['Kết quả', o.passed ? 'Đạt' : 'Không đạt'],
      ['Số phiếu', (org.labels?.choices || []).map((c) => `${c.label} ${o[c.code] ?? 0}`).join(' · ')],
      ['Lý do', o.reason],
      o.decision_number ? [o.upward ? 'Tờ trình' : 'Quyết định', o.decision_number] : null,
      council ? ['Phiên họp', h('a', { href: `#/sessions/${o.session_id}` }, 'Xem phiên họp Hội đồng')] : null,
    ]),
    doc);
}

function objectionsCard(list) {
  if (!list || !list.length) return null;
  return h('section', { class: 'card', id: 'objections', 'aria-labelledby': 'objections-h' },
    h('h2', { id: 'objections-h' }, `Phản ánh trong thời gian công khai (${list.length}) `, en('Objections')),
    table(null, ['Nội dung phản ánh', 'Người phản ánh', 'Thời gian'],
      list.map((x) => [h('span', { class: 'prewrap' }, x.text), x.author_label, timeEl(x.filed_at)]),
      { class: 'list', id: 'objections-table' }));
}

// The nominee against the criteria of the rule set of the achievement year, with the
// annual data: one line per criterion (met or not, why, and the article).
function eligibility(p) {
  const j = p.eligibility;
  if (!j || !(j.results || []).length) return null;
  const tone = { met: 'pass', not_met: 'fail', unknown: 'warn', judgement: 'muted' };
  const mark = { met: '✓', not_met: '✗', unknown: '?', judgement: '•' };
  const labels = { met: 'Đạt', not_met: 'Không đạt', unknown: 'Chưa đủ dữ liệu', judgement: 'Hội đồng xem xét' };
  const rows = j.results.map((r) => h('tr', { 'data-status': r.status },
    h('td', {}, r.requirement),
    h('td', {}, h('span', { class: tone[r.status] || '' }, `${mark[r.status] || ''} ${labels[r.status] || r.status}`)),
    h('td', {}, r.reason),
    h('td', { class: 'sub' }, r.citation, r.verified ? '' : ' (cần kiểm chứng)')));
  return h('section', { 'aria-labelledby': 'elig-h', class: 'card', id: 'eligibility' },
    h('h2', { id: 'elig-h' }, 'Tiêu chuẩn khen thưởng ', en('Eligibility')),
    h('p', { id: 'eligibility-verdict', class: `badge stage-${j.verdict}` }, j.verdict_label),
    table(null, ['Tiêu chuẩn', 'Kết quả', 'Lý do', 'Căn cứ'], rows, { class: 'list', id: 'eligibility-table' }));
}

function revise(p, o, me, act) {
  const form = draftForm(o, me, p, 'Lưu thông tin', (draft, btn, box) => act(btn, box,
    () => put(`/api/v1/proposals/${enc(p.id)}`, draft, { idem: newKey() }),
    ['Đã lưu thông tin hồ sơ.', 'Saved.']));
  form.id = 'revise-form';
  return h('details', { class: 'revise' }, h('summary', {}, 'Sửa thông tin hồ sơ'), form);
}

function selfAssessment(p, editable, act) {
  const answers = Object.fromEntries((p.self_assessment || []).map((a) => [a.criterion_id, a]));
  const crit = p.criteria || [];
  const head = h('h2', { id: 'self-h' }, 'Tự đánh giá theo tiêu chí ', en('Self-assessment'));
  if (!editable) {
    const rows = crit.map((c) => {
      const a = answers[c.id];
      return [c.text, a ? (a.met ? '✓ Đạt' : 'Chưa đạt') : 'Chưa đánh giá', a && a.note ? a.note : ''];
    });
    return h('section', { class: 'card', 'aria-labelledby': 'self-h' }, head,
      crit.length ? table(null, ['Tiêu chí', 'Tự đánh giá', 'Ghi chú'], rows, { class: 'list', id: 'self-table' })
        : h('p', { class: 'empty' }, 'Phong trào không có tiêu chí.'));
  }
  const evidence = p.evidence || [];
  const rows = crit.map((c, i) => {
    const a = answers[c.id] || {};
    const met = h('input', { type: 'checkbox', id: `crit-${i}-met`, dataset: { criterion: c.id }, checked: !!a.met });
    const note = h('input', { type: 'text', id: `crit-${i}-note`, value: a.note || '', 'aria-label': `Ghi chú cho tiêu chí: ${c.text}` });
    const ev = evidence.map((e, j) => h('label', { class: 'check small' },
      h('input', { type: 'checkbox', value: e.sha256, id: `crit-${i}-ev-${j}`, checked: (a.evidence || []).includes(e.sha256) }),
      ' ', e.name));
    return h('fieldset', { class: 'criterion', dataset: { criterion: c.id } },
      h('legend', {}, `${i + 1}. ${c.text}`),
      h('label', { class: 'check' }, met, ' Đạt tiêu chí này'),
      h('div', { class: 'field' }, h('label', { for: note.id }, 'Ghi chú, dẫn chứng'), note),
      ev.length ? h('div', { class: 'ev-links' }, h('span', { class: 'label' }, 'Minh chứng kèm theo:'), ev) : null);
  });
  const btn = h('button', { type: 'submit', class: 'primary', id: 'self-save' }, 'Lưu tự đánh giá');
  const box = msgBox('self-error');
  const form = h('form', { id: 'self-form', novalidate: true }, rows, h('div', { class: 'actions' }, btn), box);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const out = [...form.querySelectorAll('fieldset.criterion')].map((fs) => {
      const ans = {
        criterion_id: fs.dataset.criterion,
        met: fs.querySelector('input[id$="-met"]').checked,
        note: fs.querySelector('input[id$="-note"]').value,
      };
      const ev = [...fs.querySelectorAll('.ev-links input:checked')].map((x) => x.value);
      if (ev.length) ans.evidence = ev;
      return ans;
    });
    act(btn, box, () => put(`/api/v1/proposals/${enc(p.id)}/self-assessment`, { answers: out }, { idem: newKey() }),
      ['Đã lưu tự đánh giá.', 'Self-assessment saved.']);
  });
  return h('section', { class: 'card', 'aria-labelledby': 'self-h' }, head,
    h('p', { class: 'hint' }, 'Đánh dấu từng tiêu chí bạn đạt, ghi chú dẫn chứng và chọn tệp minh chứng liên quan.'),
    form);
}

function evidence(p, editable, act) {
  const files = p.evidence || [];
  const dlBox = msgBox('evidence-error');
  const rows = files.map((e) => {
    const btn = h('button', { type: 'button', class: 'link-button', dataset: { sha: e.sha256 } }, 'Tải về');
    btn.addEventListener('click', () => runAction(btn, dlBox,
      () => download(`/api/v1/proposals/${enc(p.id)}/evidence/${enc(e.sha256)}`, e.name)));
    return [h('span', { class: 'file-name' }, e.name), e.type_label, fmtSize(e.size), e.added_by_label, timeEl(e.added_at), btn];
  });
  let upload = null;
  if (editable) {
    const input = h('input', { type: 'file', id: 'evidence-file', 'aria-describedby': 'evidence-file-hint' });
    const btn = h('button', { type: 'submit', id: 'upload-btn' }, 'Tải lên');
    const box = msgBox('upload-error');
    upload = h('form', { id: 'upload-form', class: 'upload', novalidate: true },
      h('div', { class: 'field' },
        h('label', { for: 'evidence-file' }, 'Thêm tệp minh chứng ', en('Add evidence')),
        input,
        h('p', { class: 'hint', id: 'evidence-file-hint' },
          'Tối đa 25 MB mỗi tệp. Nhận PDF, ảnh PNG/JPEG, tệp văn bản, Word/Excel (docx/xlsx) hoặc ZIP.')),
      h('div', { class: 'actions' }, btn), box);
    upload.addEventListener('submit', (e) => {
      e.preventDefault();
      const f = input.files && input.files[0];
      if (!f) {
        // Nothing to send: say so here rather than posting an empty body.
        showError(box, { message: 'Chọn một tệp để tải lên.', messageEn: 'Choose a file first.' });
        return;
      }
      clearMsg(box);
      act(btn, box, () => request('POST', `/api/v1/proposals/${enc(p.id)}/evidence?filename=${enc(f.name)}`,
        { body: f, idem: newKey() }), [`Đã tải lên tệp “${f.name}”.`, 'File uploaded.']);
    });
  }
  return h('section', { class: 'card', 'aria-labelledby': 'ev-h' },
    h('h2', { id: 'ev-h' }, 'Minh chứng ', en('Evidence files')),
    files.length ? table(null, ['Tệp', 'Loại', 'Dung lượng', 'Người thêm', 'Thời gian', ''], rows, { class: 'list', id: 'evidence-table' })
      : h('p', { class: 'empty' }, 'Chưa có tệp minh chứng.'),
    dlBox, upload);
}

function history(p, council) {
  const rows = (p.history || []).map((e) => [
    timeEl(e.at), e.actor_label, e.action_label,
    e.session_id && council ? h('a', { href: `#/sessions/${e.session_id}` }, 'Xem phiên họp') : e.note,
    e.stage_label]);
  return h('section', { class: 'card', 'aria-labelledby': 'hist-h' },
    h('h2', { id: 'hist-h' }, 'Lịch sử xử lý ', en('History')),
    table(null, ['Thời gian', 'Người thực hiện', 'Thao tác', 'Ý kiến, ghi chú', 'Bước sau đó'], rows, { class: 'list', id: 'history-table' }));
}
