import { request } from '../api.js';
import { en, fmtSize, h, mount, msgBox, runAction, showError, table, timeEl } from '../dom.js';

const yesNo = (b) => h('span', { class: b ? 'pass' : 'fail' }, b ? '✓ Có' : '✗ Không');

// Whether every byte after the signature is signed, as the server decided it:
// whole_file (the signature reaches the end of the file), later_signature (a later
// valid signature, e.g. the agency seal, covers the rest: normal), unsigned_changes
// (something was appended after signing that no signature covers: an edit).
function coverage(s) {
  const label = s.coverage_label || s.coverage;
  switch (s.coverage) {
    case 'whole_file': return h('span', { class: 'pass', 'data-coverage': s.coverage }, '✓ ', label);
    case 'later_signature': return h('span', { class: 'pass', 'data-coverage': s.coverage }, '✓ ', label);
    default: return h('span', { class: 'fail', 'data-coverage': s.coverage }, '✗ ', label);
  }
}

// The signer is named from the certificate; the name the signing software wrote in
// the signature (/Name) is vouched for by nothing, and shown only when it differs.
const claimed = (s) => (s.claimed_name && s.claimed_name !== s.signer_name
  ? h('div', { class: 'sub', 'data-claimed-name': '' }, 'Tên ghi trong chữ ký (không do chứng thư xác nhận): ', s.claimed_name)
  : null);

const reason = (s) => (s.error ? h('div', {}, s.error, s.error_en ? h('div', {}, en(s.error_en)) : null) : '');

function report(r) {
  const tone = r.all_valid && r.issued ? 'good' : r.all_valid ? 'warn' : 'bad';
  const sigs = (r.signatures || []).map((s) => [
    h('div', {}, h('strong', {}, s.signer || s.field), s.subject ? h('div', { class: 'sub' }, s.subject) : null, claimed(s)),
    timeEl(s.signing_time),
    yesNo(s.intact),
    coverage(s),
    yesNo(s.trusted),
    reason(s),
  ]);
  return h('section', { class: 'card', id: 'verify-report', 'aria-labelledby': 'rep-h' },
    h('h2', { id: 'rep-h' }, 'Kết quả kiểm tra ', en('Report')),
    h('p', { class: `verdict ${tone}`, id: 'verify-summary' }, r.summary, r.summary_en ? h('span', {}, ' ', en(r.summary_en)) : null),
    r.issued
      ? h('p', { id: 'verify-issued' }, 'Văn bản do hệ thống phát hành: ', h('strong', {}, `${r.issued.kind_label} ${r.issued.number_text}`))
      : h('p', { id: 'verify-issued' }, 'Tệp này không trùng với văn bản nào hệ thống đã phát hành (hoặc đã bị sửa sau khi phát hành).'),
    h('dl', { class: 'facts' },
      h('dt', {}, 'SHA-256'), h('dd', {}, h('code', { class: 'wrap' }, r.sha256)),
      h('dt', {}, 'Dung lượng'), h('dd', {}, fmtSize(r.size))),
    sigs.length
      ? table('Chữ ký số trong tệp', ['Người ký', 'Thời điểm ký', 'Nguyên vẹn', 'Phạm vi ký', 'Tin cậy (chuỗi chứng thư)', 'Lỗi'], sigs, { class: 'list', id: 'signatures-table' })
      : h('p', { class: 'empty' }, 'Tệp không có chữ ký số.'));
}

export async function render(root) {
  const input = h('input', { type: 'file', id: 'verify-file', accept: '.pdf,application/pdf', 'aria-describedby': 'verify-hint' });
  const btn = h('button', { type: 'submit', class: 'primary', id: 'verify-btn' }, 'Kiểm tra');
  const box = msgBox('verify-error');
  const out = h('div', { id: 'verify-out' });
  const form = h('form', { class: 'card', id: 'verify-form', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: 'verify-file' }, 'Tệp PDF cần kiểm tra ', en('PDF file')),
      input,
      h('p', { class: 'hint', id: 'verify-hint' }, 'Tệp được gửi lên máy chủ để kiểm tra chữ ký và đối chiếu mã SHA-256; không lưu lại. Tối đa 10 MB.')),
    h('div', { class: 'actions' }, btn), box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = input.files && input.files[0];
    if (!f) {
      showError(box, { message: 'Chọn một tệp PDF để kiểm tra.', messageEn: 'Choose a PDF file first.' });
      return;
    }
    out.replaceChildren();
    const r = await runAction(btn, box, () => request('POST', '/api/v1/verify', { body: f, contentType: 'application/pdf', auth: false }));
    if (r) out.replaceChildren(report(r));
  });
  mount(root, 
    h('h1', {}, 'Kiểm tra văn bản ký số ', en('Verify a signed document')),
    h('p', { class: 'lead' }, 'Kiểm tra từng chữ ký số trong tệp PDF (còn nguyên vẹn, thuộc chuỗi chứng thư tin cậy) và tệp có đúng là văn bản do hệ thống phát hành hay không.'),
    form, out);
}
