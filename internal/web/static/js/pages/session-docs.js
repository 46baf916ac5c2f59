// The session's decisions and submissions on their way from draft to issue (issue 7):
// one card per document with its status, signer, deadline, awardees and their votes,
// an in-page preview of its PDFs, its history, and the buttons for what the signed-in
// person may do now. What they may do comes from the server (document.actions); the
// words of statuses and history steps come with the data.

import { download, enc, newKey, post } from '../api.js';
import { confirmAction } from '../confirm.js';
import { previewArea, previewButton, revokePreviews } from '../preview.js';
import {
  en, fmtDate, fmtTime, h, msgBox, runAction, showError, table, timeEl,
} from '../dom.js';

/**
 * documentCards builds the "Văn bản" section. opts:
 *   choices: [[code, label]] of the ballot, results of the session;
 *   previews: the page's preview state (kept across redraws);
 *   alive(): whether the page is still shown;
 *   done(next, [vi, en]): show the session the server returned, with a success note;
 *   failed(docId, err): an action was refused: show the session as it is now, with err;
 *   errors: Map docId → error to show on that card once (filled by failed).
 */
export function documentCards(s, opts) {
  const docs = s.documents || [];
  if (!docs.length) return null;
  for (const d of docs) d.split = docs.filter((x) => x.award_type === d.award_type && x.kind === d.kind).length > 1;
  return h('section', { class: 'card', id: 'doc-cards', 'aria-labelledby': 'doc-cards-h' },
    h('h2', { id: 'doc-cards-h' }, 'Văn bản ', en('Decisions and submissions')),
    h('p', { class: 'hint' }, 'Hội đồng chỉ tham mưu: mỗi dự thảo chờ người có thẩm quyền ký duyệt hoặc trả lại; ',
      'sau khi ký, văn thư cấp số, ghi ngày, đóng dấu và phát hành.'),
    h('div', { class: 'doc-grid' }, docs.map((d, i) => card(s, d, i, opts))));
}

const nameOf = (s, pid) => (s.agenda || []).find((it) => it.proposal_id === pid)?.nominee_name || 'hồ sơ đã loại';

// "K/T TRƯỞNG BAN" when a deputy signs for the head; '' when the head signs.
const deputy = (d) => (d.signer && d.signer.prefix ? [d.signer.prefix, d.signer.body].filter(Boolean).join(' ') : '');

// A document's name: its kind and award type, and — when an award type admits both
// kinds of nominee, so that a session drafts one document for each — whom it awards.
function docTitle(d) {
  const kinds = [...new Set((d.awardee_items || []).map((it) => it.kind_label))];
  return `${d.kind_label} — ${d.award_type_label}${d.split && kinds.length === 1 ? ` (${kinds[0].toLowerCase()})` : ''}`;
}

function card(s, d, i, opts) {
  const box = msgBox(`doc-${i}-error`);
  const prefix = `doc-${i}`;
  const signer = [d.signer_label, deputy(d) ? ` — ký thay (${deputy(d)})` : ''];
  const facts = [
    ['Người ký', signer],
    d.status === 'awaiting_signature' ? ['Hạn ký duyệt', timeEl(d.due_at)] : null,
    ['Lần dự thảo', String(d.revision)],
    d.signed_at ? ['Đã ký duyệt', timeEl(d.signed_at)] : null,
    d.issued ? ['Số, ngày ban hành', `${d.issued.number_text}, ngày ${fmtDate(d.issued.issued_at)}`] : null,
  ].filter(Boolean);
  const actions = buttons(s, d, i, box, opts);
  const failure = opts.errors.get(d.id);
  if (failure) {
    opts.errors.delete(d.id);
    showError(box, failure);
  }
  return h('article', {
    class: `doc-card doc-${d.status}${d.overdue ? ' is-overdue' : ''}`, id: prefix,
    dataset: { doc: d.id, awardType: d.award_type, status: d.status }, 'aria-labelledby': `${prefix}-h`,
  },
  h('div', { class: 'doc-head' },
    h('h3', { id: `${prefix}-h` }, docTitle(d)),
    h('div', { class: 'doc-badges' },
      h('span', { class: `badge doc-status doc-${d.status}`, id: `${prefix}-status` }, d.status_label),
      d.overdue ? h('span', { class: 'badge overdue', id: `${prefix}-overdue` }, 'Quá hạn ký duyệt') : null)),
  h('dl', { class: 'facts compact' }, facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
  d.status === 'sent_back' && d.sent_back_reason
    ? h('p', { class: 'msg error', id: `${prefix}-sent-back` },
      h('span', { class: 'msg-text' }, `${d.signer.name} trả lại dự thảo: ${d.sent_back_reason}`))
    : null,
  postingNote(d, prefix, opts),
  awardees(s, d, prefix, opts),
  cardObjections(s, d, prefix, opts),
  files(d, i, box, opts),
  actions.length ? h('div', { class: 'action-row doc-actions' }, actions) : null,
  box,
  history(s, d, prefix));
}

// While the list is posted the signer cannot approve yet: say until when.
function postingNote(d, prefix, opts) {
  const p = opts.posting;
  if (!p || !p.open || d.status !== 'awaiting_signature') return null;
  return h('p', { class: 'msg', id: `${prefix}-posting` },
    h('span', { class: 'msg-text' }, `Danh sách đang công khai đến hết ngày ${p.last_day}: ký duyệt sau khi hết thời gian công khai.`));
}

// The objections filed against this document's awardees during the posting, beside
// the document the signer decides on.
function cardObjections(s, d, prefix, opts) {
  const mine = new Set((d.awardee_items || []).map((it) => it.proposal_id));
  const list = (opts.objections || []).filter((x) => mine.has(x.proposal_id));
  if (!opts.posting) return null;
  if (!list.length) return h('p', { class: 'hint', id: `${prefix}-objections` }, 'Không có phản ánh nào trong thời gian công khai.');
  return h('div', { class: 'doc-objections' }, objectionList(s, list, `${prefix}-objections`));
}

// The awardees with their vote: the numbers the signer decides on.
function awardees(s, d, prefix, opts) {
  // Each cell carries its column's name: on a phone the rows become blocks and the
  // numbers still say what they count.
  const rows = (d.awardee_items || []).map((it) => {
    const c = (s.counts || {})[it.proposal_id] || {};
    const r = (s.results || {})[it.proposal_id] || {};
    return h('tr', { dataset: { proposal: it.proposal_id } },
      h('td', {}, h('a', { href: `#/proposals/${it.proposal_id}` }, it.nominee_name),
        it.case_number ? h('span', { class: 'case-number' }, it.case_number) : null),
      h('td', { dataset: { label: 'Đơn vị' } }, it.department_label),
      opts.choices.map(([code, label]) => h('td', { dataset: { label } }, String(c[code] ?? '—'))),
      h('td', { dataset: { label: 'Tỷ lệ đồng ý' } }, r.vote ? r.vote.text : '—'),
      h('td', { dataset: { label: 'Kết quả' } }, h('strong', { class: r.passed ? 'pass' : 'fail' }, r.passed ? 'Đạt' : 'Không đạt')));
  });
  // One award type per document, so one rule: its base and pass mark, as the server words them.
  const rule = (d.awardee_items || []).map((it) => ((s.results || {})[it.proposal_id] || {}).vote).find(Boolean);
  return [
    table(`Danh sách đề nghị (${rows.length})`,
      ['Người / tập thể', 'Đơn vị', ...opts.choices.map(([, label]) => label), 'Tỷ lệ đồng ý', 'Kết quả bỏ phiếu'],
      rows, { class: 'list doc-awardees', id: `${prefix}-awardees` }),
    rule ? h('p', { class: 'hint', id: `${prefix}-rule` }, `Tỷ lệ tính trên ${rule.base_text}; yêu cầu ${rule.threshold}.`) : null,
  ];
}

// The PDFs the caller may open: a preview in the page (preview.js: fetched with the
// token, shown from a blob: URL typed as PDF after checking its bytes), with the verify
// API's panel beside a signed or issued file, and a download.
const FILES = [
  { file: 'draft', view: 'Xem dự thảo', what: 'dự thảo' },
  { file: 'signed', view: 'Xem bản đã ký', what: 'bản đã ký' },
  { file: 'issued', view: 'Xem văn bản phát hành', what: 'văn bản phát hành' },
];

function files(d, i, box, opts) {
  const links = d.links || {};
  const avail = FILES.filter((x) => links[x.file]);
  if (!avail.length) return null;
  const prefix = `doc-${i}`;
  const area = previewArea(opts.previews, d.id, `${prefix}-preview`, box, opts.alive);
  // The key carries the revision: a revised draft is fetched anew.
  const list = avail.map(({ file, what }) => ({
    key: `${links[file]}|${d.revision}`, slot: file, path: links[file], name: `${what}.pdf`, what, want: 'pdf',
    title: `Bản xem ${what}: ${docTitle(d)}`, data: { file }, verify: file !== 'draft',
    note: d.revision > 1 ? ` (lần ${d.revision})` : '',
  }));
  const btns = avail.map(({ file, view }, j) => previewButton(area, list[j], view, { id: `${prefix}-view-${file}`, dataset: { file } }));
  const issued = links.issued;
  let dlIssued = null;
  if (issued) {
    dlIssued = h('button', { type: 'button', class: 'primary', id: `${prefix}-download-issued` }, 'Tải văn bản phát hành');
    dlIssued.addEventListener('click', () => runAction(dlIssued, box, () => download(issued, 'van-ban.pdf')));
  }
  // Keep the preview open across redraws (polling), on the newest file of the kind shown.
  return h('div', { class: 'doc-files' },
    h('div', { class: 'action-row' }, btns, dlIssued), area.restore(list, btns));
}

function history(s, d, prefix) {
  const rows = (d.history || []).map((e) => [
    timeEl(e.at), e.actor_label || e.actor, e.action_label,
    [e.reason || '', (e.dropped || []).length ? ` (bỏ khỏi dự thảo: ${e.dropped.map((pid) => nameOf(s, pid)).join(', ')})` : ''],
  ]);
  return h('details', { class: 'doc-history', id: `${prefix}-history` },
    h('summary', {}, `Lịch sử văn bản (${rows.length})`),
    table(null, ['Thời gian', 'Người thực hiện', 'Thao tác', 'Ghi chú'], rows, { class: 'list' }));
}

function awardeeList(d) {
  return h('ul', {}, (d.awardee_items || []).map((it) => h('li', {}, it.nominee_name,
    h('span', { class: 'sub' }, ` — ${it.case_number ? `${it.case_number} · ` : ''}${it.department_label}`))));
}

// The buttons of what the caller may do now, each confirmed in a dialog that says what
// will happen, then sent with a fresh idempotency key.
function buttons(s, d, i, box, opts) {
  const acts = d.actions || [];
  const prefix = `doc-${i}`;
  const all = [];
  // A refusal (someone else acted on the document meanwhile, say) is shown with the
  // document as it is now: the page looks again and keeps the server's message.
  const send = async (verb, body, note) => {
    let failure = null;
    const next = await runAction(all, box, async () => {
      try {
        return await post(`/api/v1/sessions/${enc(s.id)}/documents/${enc(d.id)}/${verb}`, body, { idem: newKey() });
      } catch (err) {
        failure = err;
        throw err;
      }
    });
    if (!opts.alive()) return;
    if (next) opts.done(next, typeof note === 'function' ? note(next) : note);
    else if (failure) opts.failed(d.id, failure);
  };
  const make = (action, cls, label, onClick) => {
    const b = h('button', { type: 'button', class: cls, id: `${prefix}-${action}`, dataset: { action } }, label);
    b.addEventListener('click', onClick);
    all.push(b);
    return b;
  };
  const n = (d.awardees || []).length;
  const title = docTitle(d);
  if (acts.includes('approve')) {
    make('approve', 'primary', 'Ký duyệt', async () => {
      const ok = await confirmAction({
        id: 'approve-confirm', title: 'Ký duyệt văn bản?', titleEn: 'Approve and sign?', confirm: 'Ký duyệt và ký số',
        body: [
          h('p', { id: 'approve-confirm-what' }, h('strong', {}, title), ` — ${n} trường hợp:`),
          awardeeList(d),
          h('p', {}, `Văn bản được ký số bằng chứng thư của ${d.signer_label}`,
            deputy(d) ? ` (ký thay: ${deputy(d)})` : '',
            ', rồi chuyển văn thư cấp số, ghi ngày, đóng dấu và phát hành. Chữ ký đã ký không thu hồi được.'),
        ],
      });
      if (ok && opts.alive()) send('approve', undefined, [`Đã ký duyệt ${title}; văn bản chuyển văn thư phát hành.`, 'Approved and signed.']);
    });
  }
  if (acts.includes('send_back')) {
    make('send_back', '', 'Trả lại', async () => {
      const ok = await confirmAction({
        id: 'send-back-confirm', title: 'Trả lại dự thảo?', titleEn: 'Send the draft back?', confirm: 'Trả lại dự thảo', danger: true,
        body: [h('p', {}, h('strong', {}, title), ` (${n} trường hợp) được trả lại thư ký Hội đồng để sửa hoặc huỷ. Không lấy số văn bản.`)],
        reason: { label: 'Lý do trả lại (thư ký Hội đồng sẽ đọc)', missing: 'Cần ghi lý do trả lại dự thảo.' },
      });
      if (ok && opts.alive()) send('send-back', { reason: ok.reason }, [`Đã trả lại dự thảo ${title} cho thư ký Hội đồng.`, 'Sent back.']);
    });
  }
  if (acts.includes('revise')) {
    make('revise', 'primary', 'Sửa dự thảo', async () => {
      const checks = (d.awardee_items || []).map((it, j) => h('input', {
        type: 'checkbox', id: `revise-confirm-drop-${j}`, value: it.proposal_id,
      }));
      const ok = await confirmAction({
        id: 'revise-confirm', title: 'Sửa dự thảo', titleEn: 'Revise the draft', confirm: 'Lập lại dự thảo',
        body: [
          d.sent_back_reason ? [h('p', {}, `${d.signer.name} trả lại với lý do:`), h('p', { class: 'quote' }, d.sent_back_reason)] : null,
          h('fieldset', { id: 'revise-confirm-drops' },
            h('legend', {}, 'Bỏ khỏi dự thảo'),
            (d.awardee_items || []).map((it, j) => h('label', { class: 'check', for: checks[j].id }, checks[j], ' ', it.nominee_name))),
          h('p', { class: 'hint' }, 'Người bị bỏ được báo không được phê duyệt. Phải còn ít nhất một trường hợp; để bỏ tất cả, hãy huỷ dự thảo.'),
        ],
        reason: { label: 'Lý do sửa (ghi vào lịch sử)', missing: 'Cần ghi lý do sửa dự thảo.' },
        validate: () => (checks.length && checks.every((c) => c.checked)
          ? 'Dự thảo phải còn ít nhất một trường hợp; để bỏ tất cả, hãy huỷ dự thảo.' : ''),
      });
      if (!ok || !opts.alive()) return;
      const drop = checks.filter((c) => c.checked).map((c) => c.value);
      send('revise', { drop, reason: ok.reason },
        [`Đã lập lại dự thảo ${title}${drop.length ? ` (bỏ ${drop.length} trường hợp)` : ''}; dự thảo chờ ký duyệt lại.`, 'Draft revised.']);
    });
  }
  if (acts.includes('abandon')) {
    make('abandon', 'danger', 'Huỷ dự thảo', async () => {
      const ok = await confirmAction({
        id: 'abandon-confirm', title: 'Huỷ dự thảo?', titleEn: 'Abandon the draft?', confirm: 'Huỷ dự thảo', cancel: 'Quay lại', danger: true,
        body: [h('p', {}, h('strong', {}, title), ` bị huỷ: ${n} trường hợp sau không được khen thưởng ở phiên họp này; không lấy số văn bản.`),
          awardeeList(d)],
        reason: { label: 'Lý do huỷ (ghi vào lịch sử)', missing: 'Cần ghi lý do huỷ dự thảo.' },
      });
      if (ok && opts.alive()) send('abandon', { reason: ok.reason }, [`Đã huỷ dự thảo ${title}.`, 'Draft abandoned.']);
    });
  }
  if (acts.includes('issue')) {
    make('issue', 'primary', 'Cấp số, đóng dấu và phát hành', async () => {
      const ok = await confirmAction({
        id: 'issue-confirm', title: 'Phát hành văn bản?', titleEn: 'Issue the document?', confirm: 'Cấp số, đóng dấu và phát hành',
        body: [
          h('p', { id: 'issue-confirm-what' }, h('strong', {}, title), ` — ${n} trường hợp, đã ký ${fmtTime(d.signed_at)} bởi ${d.signer_label}.`),
          h('p', {}, 'Hệ thống lấy số tiếp theo trong sổ đăng ký văn bản, ghi ngày ban hành hôm nay, đóng dấu (chữ ký số của cơ quan) và phát hành. ',
            'Việc này không hoàn tác được.'),
        ],
      });
      if (ok && opts.alive()) {
        send('issue', undefined, (next) => {
          const now = (next.documents || []).find((x) => x.id === d.id);
          const number = now && now.issued ? ` — ${now.issued.number_text}` : '';
          return [`Đã cấp số, đóng dấu và phát hành ${title}${number}.`, 'Issued.'];
        });
      }
    });
  }
  return all;
}

export { revokePreviews };

/** objectionList: the objections filed against nominees of the session's list. */
export function objectionList(s, objections, id) {
  const nameOf = (pid) => (s.agenda || []).find((it) => it.proposal_id === pid)?.nominee_name || 'Hồ sơ đề nghị';
  return table(`Phản ánh trong thời gian công khai (${objections.length})`, ['Trường hợp', 'Nội dung phản ánh', 'Người phản ánh', 'Thời gian'],
    objections.map((x) => [h('a', { href: `#/proposals/${x.proposal_id}` }, nameOf(x.proposal_id)), h('span', { class: 'prewrap' }, x.text),
      x.author_label, timeEl(x.filed_at)]), { class: 'list objections', id });
}
