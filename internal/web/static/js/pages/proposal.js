import { currentSession, download, enc, get, newKey, org, post, put, request } from '../api.js';
import { confirmAction } from '../confirm.js';
import {
  clearMsg, en, fmtSize, h, mount, msgBox, runAction, showError, showOk, table, timeEl,
} from '../dom.js';
import { guardLeave } from '../leave.js';
import { previewArea, previewButton, previewCache, revokePreviews } from '../preview.js';
import { sendFile, timeLeft } from '../upload.js';
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

  // A success message shown once after an action, next to where it happened ('top',
  // 'evidence', 'self'), with the focus on it: {text: [vi, en], at}.
  let flash = null;
  // Uploads under way: leaving the page asks first, like unsaved edits.
  const uploads = { running: 0 };
  // The self-assessment and revision forms mark themselves dirty (data-dirty) on the
  // first change; redrawing the page (after an upload, a removal, another form's save)
  // carries what they hold into the new page instead of dropping it.
  const dirty = () => uploads.running > 0 || !!root.querySelector('form[data-dirty]');
  guardLeave(ctx, dirty);
  // Evidence previews: fetched files, and which each area shows, kept across redraws.
  const previews = previewCache();
  ctx.onLeave(() => revokePreviews(previews));

  const draw = (p, saved) => {
    const carried = [];
    for (const formId of ['self-form', 'revise-form']) {
      const old = root.querySelector(`#${formId}[data-dirty]`);
      if (old && saved !== formId) carried.push([formId, snapshot(old), !!old.closest('details[open]')]);
    }
    const isProposer = p.proposer_id === me.id;
    const editable = isProposer && EDITABLE.has(p.stage);
    // A delegate reviews for the head who delegated it to them (the server says so).
    const waitsOnMe = (p.assignees || []).includes(me.id) || !!p.review_on_behalf_of;
    const flashBox = h('div', { class: 'msg', id: 'flash', role: 'status', tabindex: '-1', hidden: true });
    const shown = flash;
    if (shown) showOk(flashBox, shown.text[0], shown.text[1]);
    flash = null;
    const flashAt = (where) => (shown && (shown.at || 'top') === where ? flashBox : null);

    // Each action sends the response's proposal straight back into the page.
    // at: where its message goes; saved: the form it saved (not carried over).
    const act = async (buttons, box, call, done, at, saved) => {
      const next = await runAction(buttons, box, call);
      if (next && ctx.alive()) {
        flash = { text: done, at };
        draw(next.proposal || next, saved);
      }
      return next;
    };
    const type = (o.award_types || []).find((t) => t.code === p.award_type) || {};

    mount(root, 
      h('nav', { class: 'crumbs', 'aria-label': 'Vị trí' }, h('a', { href: '#/' }, 'Trang chủ'), ' › Hồ sơ đề nghị'),
      h('div', { class: 'page-head' },
        h('div', {},
          h('h1', {}, p.nominee_name),
          h('p', { class: 'lead' }, p.case_number ? [h('span', { class: 'case-number' }, p.case_number), ' · '] : null,
            `${p.award_type_label} · ${p.kind_label} · ${p.department_label}`)),
        h('div', { class: 'badges' },
          h('p', { class: `badge big stage-${p.stage}`, id: 'stage', dataset: { stage: p.stage } }, p.stage_label),
          p.overdue ? h('p', { class: 'badge big overdue', id: 'overdue' }, 'Quá hạn xác nhận') : null)),
      steps(p.stage),
      reasonBanner(p),
      flashAt('top'),
      actions(p, { isProposer, editable, waitsOnMe, act, ctx, type }),
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
          p.kind === 'collective' || p.nominee_id ? ['Quá trình khen thưởng', h('a', { id: 'nominee-history', href: p.kind === 'collective' ? `#/units/${encodeURIComponent(p.department)}/awards` : `#/people/${encodeURIComponent(p.nominee_id)}/awards` }, 'Xem các khen thưởng đã nhận')] : null,
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
      // criteria; unsaved ticks and notes are carried over when the page redraws.
      evidence(p, editable, act, { flashAt, uploads, ctx, draw, setFlash: (f) => { flash = f; }, type, previews }),
      selfAssessment(p, editable, act, flashAt('self'), previews, ctx),
      history(p, council));

    for (const [formId, snap, open] of carried) {
      const form = root.querySelector(`#${formId}`);
      if (!form) continue;
      restore(form, snap);
      form.dataset.dirty = '1';
      if (open) form.closest('details')?.setAttribute('open', '');
    }
    for (const formId of ['self-form', 'revise-form']) {
      const form = root.querySelector(`#${formId}`);
      if (!form) continue;
      const mark = () => { form.dataset.dirty = '1'; };
      form.addEventListener('input', mark);
      form.addEventListener('change', mark);
    }
    if (shown) flashBox.focus(); // in view, and read out by screen readers
  };
  draw(first);
}

// A form's values by field (id, or name=value for radios), to carry across a redraw.
function fieldKey(e) {
  return e.dataset.key || e.id || (e.name ? `${e.name}=${e.value}` : '');
}

function snapshot(form) {
  const out = new Map();
  for (const e of form.querySelectorAll('input, textarea, select')) {
    const k = fieldKey(e);
    if (!k || e.type === 'file') continue;
    out.set(k, e.type === 'checkbox' || e.type === 'radio' ? e.checked : e.value);
  }
  return out;
}

function restore(form, snap) {
  // Radios first: the nominee's kind decides which award types the form offers.
  for (const e of form.querySelectorAll('input[type="radio"]')) {
    const k = fieldKey(e);
    if (snap.has(k) && snap.get(k) && !e.checked) {
      e.checked = true;
      e.dispatchEvent(new Event('change'));
    }
  }
  for (const e of form.querySelectorAll('input, textarea, select')) {
    const k = fieldKey(e);
    if (!snap.has(k) || e.type === 'radio') continue;
    if (e.type === 'checkbox') e.checked = snap.get(k);
    else e.value = snap.get(k);
  }
}

// The head's reason for returning or rejecting, in a banner at the top for everyone who
// reads the proposal (the proposer, the head, the council).
function reasonBanner(p) {
  const want = { returned: 'return', rejected: 'reject' }[p.stage];
  if (!want) return null;
  const e = [...(p.history || [])].reverse().find((x) => x.action === want);
  if (!e) return null;
  const isReturn = want === 'return';
  return h('div', { class: 'msg error reason-banner', id: isReturn ? 'returned-note' : 'rejected-note', role: 'note' },
    h('span', { class: 'msg-text' }, `${e.actor} ${isReturn ? 'trả lại hồ sơ' : 'không xác nhận hồ sơ'}: ${e.comment}`),
    h('span', { class: 'sub' }, ' (', timeEl(e.at), ')'),
    en(isReturn ? 'Returned for revision; fix and send again.' : 'Rejected by the department head; the proposal ends here.'));
}

function actions(p, { isProposer, editable, waitsOnMe, act, ctx, type }) {
  const parts = [];
  if (isProposer && editable) {
    const btn = h('button', { type: 'button', class: 'primary', id: 'submit-btn' }, 'Gửi lãnh đạo phòng xác nhận');
    const del = h('button', { type: 'button', class: 'danger', id: 'delete-btn' }, 'Xoá hồ sơ');
    const box = msgBox('submit-error');
    btn.addEventListener('click', () => {
      // The server sends what is saved: unsaved ticks and notes are saved first.
      const pending = document.querySelector('#self-form[data-dirty]');
      if (pending) {
        showError(box, {
          message: 'Phần tự đánh giá có thay đổi chưa lưu: bấm “Lưu tự đánh giá” trước, rồi gửi hồ sơ.',
          messageEn: 'Save the self-assessment first.',
        });
        pending.querySelector('#self-save')?.focus();
        return;
      }
      act([btn, del], box,
        () => post(`/api/v1/proposals/${enc(p.id)}/submit`, undefined, { idem: newKey() }),
        ['Đã gửi hồ sơ cho lãnh đạo phòng.', 'Sent to the department head.']);
    });
    del.addEventListener('click', async () => {
      if (del.disabled) return;
      const yes = await confirmAction({
        id: 'delete-dialog',
        title: 'Xoá hồ sơ này?',
        titleEn: 'Delete this proposal?',
        danger: true,
        confirm: 'Xoá hồ sơ',
        cancel: 'Quay lại',
        body: h('p', {}, `Hồ sơ đề nghị ${p.award_type_label} cho ${p.nominee_name} sẽ chuyển sang bước “Đã xoá” và không sửa, gửi được nữa. `,
          'Lịch sử hồ sơ vẫn được lưu. Muốn đề nghị lại, hãy lập hồ sơ mới.'),
      });
      if (yes && ctx.alive()) {
        const gone = await act([btn, del], box, () => request('DELETE', `/api/v1/proposals/${enc(p.id)}`, { idem: newKey() }),
          ['Đã xoá hồ sơ.', 'Proposal deleted.']);
        // The form's remembered key (create.js) must not bring the deleted proposal back.
        if (gone) sessionStorage.removeItem('awardflow.create');
      }
    });
    const need = type.evidence_required;
    parts.push(h('div', { class: 'action-row' }, btn, del),
      h('p', { class: 'hint' }, need
        ? 'Trước khi gửi: tự đánh giá đủ các tiêu chí và tải lên ít nhất một tệp minh chứng.'
        : 'Trước khi gửi: tự đánh giá đủ các tiêu chí; tệp minh chứng giúp lãnh đạo phòng xét hồ sơ.'),
      need ? h('p', { class: 'hint', id: 'evidence-rule' },
        `Hình thức “${p.award_type_label}” cần ít nhất một tệp minh chứng`,
        (p.evidence || []).length ? ` (đã có ${(p.evidence || []).length} tệp).` : ': hồ sơ chưa có tệp nào.') : null,
      box);
  }
  if (isProposer && p.stage === 'submitted') {
    const btn = h('button', { type: 'button', id: 'withdraw-btn' }, 'Rút hồ sơ về để sửa');
    const box = msgBox('withdraw-error');
    btn.addEventListener('click', async () => {
      if (btn.disabled) return;
      const yes = await confirmAction({
        id: 'withdraw-dialog',
        title: 'Rút hồ sơ về để sửa?',
        titleEn: 'Withdraw to draft?',
        confirm: 'Rút hồ sơ về',
        cancel: 'Quay lại',
        body: h('p', {}, 'Hồ sơ trở về bước “Đang soạn”; lãnh đạo phòng không còn thấy hồ sơ trong việc cần làm. ',
          'Sửa xong, bạn gửi lại như lần đầu. Việc rút hồ sơ được ghi vào lịch sử.'),
      });
      if (yes && ctx.alive()) {
        act(btn, box, () => post(`/api/v1/proposals/${enc(p.id)}/withdraw`, undefined, { idem: newKey() }),
          ['Đã rút hồ sơ về để sửa.', 'Withdrawn to draft.']);
      }
    });
    parts.push(h('div', { class: 'action-row' }, btn,
      h('p', { class: 'hint' }, 'Lãnh đạo phòng chưa xác nhận: bạn có thể rút hồ sơ về để sửa rồi gửi lại.')), box);
  }
  if (waitsOnMe && p.stage === 'submitted') {
    const comment = h('textarea', { id: 'review-comment', rows: 3, 'aria-describedby': 'review-comment-hint' });
    const endorse = h('button', { type: 'button', class: 'primary', id: 'endorse-btn' }, 'Xác nhận');
    const ret = h('button', { type: 'button', id: 'return-btn' }, 'Trả lại');
    const reject = h('button', { type: 'button', class: 'danger', id: 'reject-btn' }, 'Không xác nhận');
    const box = msgBox('review-error');
    if (p.review_on_behalf_of_label) {
      parts.push(h('p', { class: 'on-behalf', id: 'review-on-behalf' }, `${p.review_on_behalf_of_label} (được ủy quyền xác nhận hồ sơ)`));
    }
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
    ['Đã lưu thông tin hồ sơ.', 'Saved.'], 'top', 'revise-form'));
  form.id = 'revise-form';
  return h('details', { class: 'revise' }, h('summary', {}, 'Sửa thông tin hồ sơ'), form);
}

// The types the server's sniffing gives a file the page may show (the bytes decide again).
const SHOWN = ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'];

// An evidence file as preview.js opens it.
function evidenceFile(p, e) {
  return {
    key: e.sha256, path: `/api/v1/proposals/${enc(p.id)}/evidence/${enc(e.sha256)}`, name: e.name,
    what: `tệp “${e.name}”`, title: `Minh chứng: ${e.name}`, data: { sha: e.sha256 },
    fetch: SHOWN.includes((e.content_type || '').split(';')[0].trim()),
  };
}

function selfAssessment(p, editable, act, flashBox, previews, ctx) {
  const answers = Object.fromEntries((p.self_assessment || []).map((a) => [a.criterion_id, a]));
  const crit = p.criteria || [];
  const files = Object.fromEntries((p.evidence || []).map((e) => [e.sha256, e]));
  const head = h('h2', { id: 'self-h' }, 'Tự đánh giá theo tiêu chí ', en('Self-assessment'));
  if (!editable) {
    // Which file supports which criterion: what the head and the council check.
    const dlBox = msgBox('self-evidence-error');
    // Each cited file opens below the table, beside its criterion's row in reading order.
    const area = previewArea(previews, 'self', 'self-preview', dlBox, ctx.alive);
    const shownFiles = [];
    const shownBtns = [];
    const cited = (a) => {
      const list = ((a && a.evidence) || []).map((sha) => files[sha]).filter(Boolean);
      if (!list.length) return '—';
      return h('ul', { class: 'cited' }, list.map((e) => {
        const btn = h('button', { type: 'button', class: 'link-button', dataset: { sha: e.sha256 } }, e.name);
        btn.addEventListener('click', () => runAction(btn, dlBox,
          () => download(`/api/v1/proposals/${enc(p.id)}/evidence/${enc(e.sha256)}`, e.name)));
        const f = evidenceFile(p, e);
        const view = previewButton(area, f, 'Xem', { class: 'link-button', dataset: { sha: e.sha256 }, 'aria-label': `Xem tệp ${e.name}` });
        shownFiles.push(f);
        shownBtns.push(view);
        return h('li', {}, btn, ' ', view);
      }));
    };
    const rows = crit.map((c) => {
      const a = answers[c.id];
      return [c.text, a ? (a.met ? '✓ Đạt' : 'Chưa đạt') : 'Chưa đánh giá', a && a.note ? a.note : '', cited(a)];
    });
    return h('section', { class: 'card', 'aria-labelledby': 'self-h' }, head,
      crit.length ? table(null, ['Tiêu chí', 'Tự đánh giá', 'Ghi chú', 'Minh chứng'], rows, { class: 'list', id: 'self-table' })
        : h('p', { class: 'empty' }, 'Phong trào không có tiêu chí.'),
      dlBox, area.restore(shownFiles, shownBtns));
  }
  const evidence = p.evidence || [];
  const rows = crit.map((c, i) => {
    const a = answers[c.id] || {};
    const met = h('input', { type: 'checkbox', id: `crit-${i}-met`, dataset: { criterion: c.id }, checked: !!a.met });
    const note = h('input', { type: 'text', id: `crit-${i}-note`, value: a.note || '', 'aria-label': `Ghi chú cho tiêu chí: ${c.text}` });
    const ev = evidence.map((e, j) => h('label', { class: 'check small' },
      h('input', {
        type: 'checkbox', value: e.sha256, id: `crit-${i}-ev-${j}`, dataset: { key: `crit-${i}|${e.sha256}` },
        checked: (a.evidence || []).includes(e.sha256),
      }),
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
      ['Đã lưu tự đánh giá.', 'Self-assessment saved.'], 'self', 'self-form');
  });
  return h('section', { class: 'card', 'aria-labelledby': 'self-h' }, head,
    h('p', { class: 'hint' }, 'Đánh dấu từng tiêu chí bạn đạt, ghi chú dẫn chứng và chọn tệp minh chứng liên quan.'),
    flashBox,
    form);
}

// The evidence card: the files, with download and (before submitting) remove; the
// upload area takes several files at once, chosen or dropped, each with its progress,
// size, time left and a cancel button.
function evidence(p, editable, act, { flashAt, uploads, ctx, draw, setFlash, type, previews }) {
  const files = p.evidence || [];
  const dlBox = msgBox('evidence-error');
  // PDFs and pictures open below the table; other files say so and offer the download.
  const area = previewArea(previews, 'evidence', 'evidence-preview', dlBox, ctx.alive);
  const shownFiles = files.map((e) => evidenceFile(p, e));
  const shownBtns = files.map((e, i) => previewButton(area, shownFiles[i], 'Xem', {
    class: 'link-button', dataset: { sha: e.sha256 }, 'aria-label': `Xem tệp ${e.name}`,
  }));
  const rows = files.map((e, i) => {
    const btn = h('button', { type: 'button', class: 'link-button download-evidence', dataset: { sha: e.sha256 } }, 'Tải về');
    btn.addEventListener('click', () => runAction(btn, dlBox,
      () => download(`/api/v1/proposals/${enc(p.id)}/evidence/${enc(e.sha256)}`, e.name)));
    let rm = null;
    if (editable) {
      rm = h('button', { type: 'button', class: 'link-button remove-evidence', 'aria-label': `Gỡ tệp ${e.name}` }, 'Gỡ');
      rm.addEventListener('click', async () => {
        if (rm.disabled) return;
        const yes = await confirmAction({
          id: 'remove-dialog',
          title: 'Gỡ tệp minh chứng?',
          titleEn: 'Remove this file?',
          danger: true,
          confirm: 'Gỡ tệp',
          cancel: 'Quay lại',
          body: h('p', {}, `Tệp “${e.name}” sẽ không còn trong hồ sơ và trong các tiêu chí đã dẫn nó. `,
            'Lịch sử hồ sơ ghi lại việc gỡ tệp.'),
        });
        if (yes && ctx.alive()) {
          act(rm, dlBox, () => request('DELETE', `/api/v1/proposals/${enc(p.id)}/evidence/${enc(e.sha256)}`, { idem: newKey() }),
            [`Đã gỡ tệp “${e.name}”.`, 'File removed.'], 'evidence');
        }
      });
    }
    return h('tr', { dataset: { name: e.name, sha: e.sha256 } },
      [h('span', { class: 'file-name' }, e.name), e.type_label, fmtSize(e.size), e.added_by_label, timeEl(e.added_at),
        h('span', { class: 'row-actions' }, shownBtns[i], ' ', btn, rm ? [' ', rm] : null)].map((c) => h('td', {}, c)));
  });
  let upload = null;
  if (editable) {
    const input = h('input', { type: 'file', id: 'evidence-file', multiple: true, 'aria-describedby': 'evidence-file-hint' });
    const btn = h('button', { type: 'submit', id: 'upload-btn' }, 'Tải lên');
    const box = msgBox('upload-error');
    const list = h('ul', { id: 'upload-list', class: 'upload-list', 'aria-live': 'polite' });
    const zone = h('div', { id: 'drop-zone', class: 'drop-zone' },
      h('div', { class: 'field' },
        h('label', { for: 'evidence-file' }, 'Thêm tệp minh chứng ', en('Add evidence')),
        input,
        h('p', { class: 'hint', id: 'evidence-file-hint' },
          'Chọn một hoặc nhiều tệp, hoặc kéo thả tệp vào khung này. Tối đa 25 MB mỗi tệp. ',
          'Nhận PDF, ảnh PNG/JPEG, tệp văn bản, Word/Excel (docx/xlsx) hoặc ZIP.')));
    upload = h('form', { id: 'upload-form', class: 'upload', novalidate: true },
      zone, h('div', { class: 'actions' }, btn), list, box);

    // One file after another; each line shows its own progress and can be cancelled.
    const start = async (chosen) => {
      if (!chosen.length) {
        showError(box, { message: 'Chọn một tệp để tải lên.', messageEn: 'Choose a file first.' });
        return;
      }
      clearMsg(box);
      list.replaceChildren();
      btn.disabled = true;
      btn.setAttribute('aria-busy', 'true');
      uploads.running += 1;
      const done = [];
      let last = null;
      const items = chosen.map((f) => {
        const bar = h('progress', { max: Math.max(f.size, 1), value: 0, 'aria-label': `Tiến độ tải lên ${f.name}` });
        const status = h('span', { class: 'upload-status' }, 'Đang chờ');
        const cancel = h('button', { type: 'button', class: 'link-button upload-cancel' }, 'Huỷ');
        const li = h('li', { class: 'upload-item' }, h('span', { class: 'file-name' }, f.name), ' ', bar, ' ', status, ' ', cancel);
        list.append(li);
        return { f, bar, status, cancel, li, cancelled: false, job: null };
      });
      for (const it of items) {
        it.cancel.addEventListener('click', () => {
          it.cancelled = true;
          if (it.job) it.job.abort();
          it.status.textContent = 'Đã huỷ';
          it.cancel.remove();
        });
      }
      try {
        for (const it of items) {
          if (it.cancelled || !ctx.alive()) continue;
          const t0 = Date.now();
          const show = (loaded, total) => {
            const pct = total ? Math.floor((loaded * 100) / total) : 0;
            it.bar.value = loaded;
            it.status.textContent = [`${pct} %`, `${fmtSize(loaded)} / ${fmtSize(total)}`, timeLeft(loaded, total, t0, Date.now())]
              .filter(Boolean).join(' · ');
          };
          show(0, it.f.size);
          it.job = sendFile(`/api/v1/proposals/${enc(p.id)}/evidence?filename=${enc(it.f.name)}`, it.f, show);
          try {
            last = await it.job.done;
            done.push(it.f.name);
            it.status.textContent = 'Đã tải lên';
            it.cancel.remove();
          } catch (err) {
            if (err && err.code === 'aborted') continue;
            it.status.textContent = 'Không tải lên được';
            it.cancel.remove();
            showError(box, { message: `${it.f.name}: ${err.message}`, messageEn: err.messageEn });
          }
        }
      } finally {
        uploads.running -= 1;
        btn.disabled = false;
        btn.removeAttribute('aria-busy');
      }
      if (last && ctx.alive()) {
        const failed = !box.hidden;
        setFlash({
          text: [`Đã tải lên tệp ${done.map((n) => `“${n}”`).join(', ')}.`, done.length > 1 ? `${done.length} files uploaded.` : 'File uploaded.'],
          at: 'evidence',
        });
        const keepErr = failed ? [...box.childNodes].map((n) => n.cloneNode(true)) : null;
        draw(last.proposal || last);
        if (keepErr) {
          const nb = document.getElementById('upload-error');
          if (nb) {
            nb.classList.add('error');
            nb.replaceChildren(...keepErr);
            nb.hidden = false;
          }
        }
      }
    };
    upload.addEventListener('submit', (e) => {
      e.preventDefault();
      if (btn.disabled) return;
      start([...(input.files || [])]);
    });
    // Drag and drop onto the area; the highlight says where to let go.
    const over = (e) => {
      if (!e.dataTransfer || ![...(e.dataTransfer.types || [])].includes('Files')) return;
      e.preventDefault();
      zone.classList.add('dragging');
    };
    zone.addEventListener('dragenter', over);
    zone.addEventListener('dragover', over);
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (e) => {
      zone.classList.remove('dragging');
      if (!e.dataTransfer || !e.dataTransfer.files.length) return;
      e.preventDefault();
      if (!btn.disabled) start([...e.dataTransfer.files]);
    });
  }
  return h('section', { class: 'card', 'aria-labelledby': 'ev-h', id: 'evidence' },
    h('h2', { id: 'ev-h' }, 'Minh chứng ', en('Evidence files')),
    type.evidence_required ? h('p', { class: 'hint' }, `Bắt buộc với hình thức “${p.award_type_label}”: ít nhất một tệp.`) : null,
    flashAt('evidence'),
    files.length ? table(null, ['Tệp', 'Loại', 'Dung lượng', 'Người thêm', 'Thời gian', ''], rows, { class: 'list', id: 'evidence-table' })
      : h('p', { class: 'empty' }, 'Chưa có tệp minh chứng.'),
    dlBox, area.restore(shownFiles, shownBtns), upload);
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
