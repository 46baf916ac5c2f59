import {
  currentSession, download, enc, get, org, put, request,
} from '../api.js';
import {
  clearMsg, en, field, h, mount, msgBox, runAction, showError, showOk, table,
} from '../dom.js';

// The annual data (dữ liệu bình xét): each person's and unit's task rating, months of
// service, days absent, discipline and recognised initiatives for a year, which the
// eligibility rules read. Admins download the template (XLSX or CSV, filled with the
// year's data), import a filled one — all rows or none: a refusal lists every row's
// problem — and correct one record; the council and the văn thư read everyone's, a head
// their unit's (award.AnnualDataScope).

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CSV = 'text/csv';

// The upload's content type, from the file's name (browsers often give none for CSV).
function contentType(name) {
  if (/\.csv$/i.test(name)) return CSV;
  if (/\.xlsx$/i.test(name)) return XLSX;
  return 'application/octet-stream';
}

function isAdmin() {
  const s = currentSession();
  return !!s && (s.user.roles || []).includes('admin');
}

const num = (v) => (typeof v === 'number' ? String(v) : '—');

function recognitions(r) {
  const list = [...(r.initiatives || []), ...(r.research || [])];
  if (!list.length) return '—';
  return h('ul', { class: 'commitments' }, list.map((x) => h('li', {}, x.title)));
}

// The refusal of an import: every row's problem in a table, and that nothing changed.
function refusal(err) {
  const body = err.body || {};
  const rows = body.rows || [];
  const total = rows.length + (body.more || 0);
  // With the rows listed, the lead says how many; the server's message (every row in
  // one line) is shown only when it lists none.
  const parts = [h('p', { class: 'msg-text' }, rows.length ? `Chưa nhập dữ liệu: tệp có ${total} lỗi.` : err.message),
    h('p', {}, 'Không có dòng nào được nhập; sửa các lỗi dưới đây rồi nhập lại cả tệp.',
      en('nothing was imported'))];
  if (rows.length) {
    parts.push(table(h('span', {}, `Các lỗi (${total}) `, en('row errors')),
      ['Dòng', 'Cột', 'Lỗi'],
      rows.map((r) => h('tr', { dataset: { row: String(r.row) } },
        h('td', { 'data-label': 'Dòng', class: 'num' }, String(r.row)),
        h('td', { 'data-label': 'Cột' }, r.column_label || '—'),
        h('td', { 'data-label': 'Lỗi' }, r.message))),
      { class: 'list import-errors', id: 'import-errors' }));
    if (body.more) parts.push(h('p', { class: 'sub' }, `… và ${body.more} lỗi khác.`));
  }
  return parts;
}

// The editor of one record: rating, service, absences, discipline (initiatives and
// research are kept as they are: the file carries them).
function editor(rec, labels, onSaved, onCancel) {
  const box = msgBox('annual-edit-msg');
  const select = (id, list, value) => h('select', { id },
    h('option', { value: '' }, '— chưa có —'),
    list.map((l) => h('option', { value: l.code, selected: l.code === value }, l.label)));
  const number = (id, value, max) => h('input', {
    id, type: 'number', min: '0', max: max ? String(max) : null, step: '1', inputmode: 'numeric',
    value: typeof value === 'number' ? String(value) : '',
  });
  const rating = select('edit-rating', labels.ratings || [], rec.rating);
  const discipline = select('edit-discipline', labels.disciplines || [], rec.discipline);
  const months = number('edit-months', rec.months_of_service, 12);
  const absent = number('edit-absent', rec.days_absent);
  const maternity = number('edit-maternity', rec.maternity_days || 0);
  const save = h('button', { type: 'submit', class: 'primary', id: 'edit-save' }, 'Lưu');
  const cancel = h('button', { type: 'button', id: 'edit-cancel' }, 'Huỷ');
  const individual = rec.kind === 'individual';
  const form = h('form', { class: 'card annual-edit', id: 'annual-edit' },
    h('h2', {}, `Sửa dữ liệu năm ${rec.year}: ${rec.name}`),
    h('div', { class: 'grid2' },
      field('Xếp loại mức độ hoàn thành nhiệm vụ', rating),
      individual ? field('Kỷ luật', discipline) : null,
      individual ? field('Số tháng công tác trong năm', months) : null,
      individual ? field('Số ngày nghỉ', absent) : null,
      individual ? field('Trong đó nghỉ thai sản (ngày)', maternity) : null),
    h('div', { class: 'actions' }, save, cancel), box);
  const intOrNull = (el) => (el.value.trim() === '' ? undefined : Number(el.value));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    runAction([save, cancel], box, async () => {
      const body = {
        rating: rating.value || undefined,
        initiatives: rec.initiatives || [],
        research: rec.research || [],
      };
      if (individual) {
        Object.assign(body, {
          unit: rec.unit || undefined,
          discipline: discipline.value || undefined,
          months_of_service: intOrNull(months),
          days_absent: intOrNull(absent),
          maternity_days: intOrNull(maternity) || 0,
        });
      }
      const out = await put(`/api/v1/annual-records/${rec.year}/${enc(rec.kind)}/${enc(rec.id)}`, body);
      await onSaved(out);
    });
  });
  cancel.addEventListener('click', onCancel);
  return form;
}

function recordsTable(items, admin, onEdit) {
  const rows = items.map((r) => h('tr', { dataset: { id: r.id, kind: r.kind } },
    h('td', {}, h('strong', { class: 'rec-name' }, r.name || '—'), h('br'),
      h('span', { class: 'sub' }, r.unit_label ? `${r.kind_label}, ${r.unit_label}` : r.kind_label)),
    h('td', { 'data-label': 'Xếp loại', class: 'rec-rating' }, r.rating_label || '—'),
    h('td', { 'data-label': 'Tháng công tác', class: 'num rec-months' }, num(r.months_of_service)),
    h('td', { 'data-label': 'Ngày nghỉ', class: 'num rec-absent' }, num(r.days_absent),
      r.maternity_days ? h('span', { class: 'sub' }, ` (thai sản ${r.maternity_days})`) : null),
    h('td', { 'data-label': 'Kỷ luật', class: 'rec-discipline' }, r.discipline_label || '—'),
    h('td', { 'data-label': 'Sáng kiến, đề tài' }, recognitions(r)),
    admin ? h('td', {}, h('button', {
      type: 'button', class: 'link-button edit-record', 'aria-label': `Sửa dữ liệu của ${r.name}`, onclick: () => onEdit(r),
    }, 'Sửa')) : null));
  const headers = ['Họ tên, đơn vị', 'Xếp loại', 'Tháng công tác', 'Ngày nghỉ', 'Kỷ luật', 'Sáng kiến, đề tài'];
  if (admin) headers.push('');
  return table(null, headers, rows, { class: 'list annual-table', id: 'annual-table' });
}

export async function render(root, _params, ctx) {
  const admin = isAdmin();
  const o = await org();
  const labels = o.labels || {};
  const now = new Date().getFullYear();
  const year = h('select', { id: 'annual-year' },
    Array.from({ length: 6 }, (_, i) => now - i).map((y) => h('option', { value: String(y) }, String(y))));
  const listBox = msgBox('annual-msg');
  const out = h('div', { id: 'annual-out' });
  const editSlot = h('div', { id: 'annual-edit-slot' });

  let loads = 0;
  async function load() {
    // Only the latest load shows: a year chosen while the first one runs wins.
    loads += 1;
    const mine = loads;
    out.replaceChildren(h('p', { class: 'muted' }, 'Đang tải…'));
    try {
      const data = await get(`/api/v1/annual-records?year=${year.value}`);
      if (!ctx.alive() || mine !== loads) return;
      const items = data.items || [];
      out.replaceChildren(items.length
        ? h('div', {}, h('p', { id: 'annual-count' }, `Năm ${data.year}: ${items.length} bản ghi.`),
          recordsTable(items, admin, (r) => {
            clearMsg(listBox);
            editSlot.replaceChildren(editor(r, labels, async (saved) => {
              editSlot.replaceChildren();
              await load();
              showOk(listBox, `Đã lưu dữ liệu năm ${saved.year} của ${saved.name}.`, 'saved');
            }, () => editSlot.replaceChildren()));
            const first = editSlot.querySelector('select, input');
            if (first) first.focus();
          }))
        : h('p', { class: 'empty', id: 'annual-empty' }, `Chưa có dữ liệu bình xét năm ${data.year}.`));
    } catch (err) {
      if (mine !== loads) return;
      out.replaceChildren();
      showError(listBox, err);
    }
  }

  let importCard = null;
  if (admin) {
    const box = msgBox('import-msg');
    const report = h('div', { id: 'import-report' });
    const xlsx = h('button', { type: 'button', id: 'template-xlsx' }, 'Tải mẫu XLSX');
    const csv = h('button', { type: 'button', id: 'template-csv' }, 'Tải mẫu CSV');
    const file = h('input', { type: 'file', id: 'import-file', accept: '.xlsx,.csv,text/csv,' + XLSX });
    const go = h('button', { type: 'button', class: 'primary', id: 'import-btn' }, 'Nhập dữ liệu');
    const tmpl = (format) => runAction([xlsx, csv], box, () => download(
      `/api/v1/annual-records/file?format=${format}&year=${year.value}`, `du-lieu-binh-xet-${year.value}.${format}`));
    xlsx.addEventListener('click', () => tmpl('xlsx'));
    csv.addEventListener('click', () => tmpl('csv'));
    go.addEventListener('click', () => runAction(go, box, async () => {
      report.replaceChildren();
      const f = file.files && file.files[0];
      if (!f) {
        showError(box, { message: 'Chọn tệp XLSX hoặc CSV để nhập.', messageEn: 'choose a file' });
        return;
      }
      const type = contentType(f.name);
      try {
        const res = await request('POST', `/api/v1/annual-records/import?year=${year.value}`, { body: f, contentType: type });
        showOk(box, `Đã nhập ${res.records} bản ghi năm ${res.year}: thêm mới ${res.inserted}, cập nhật ${res.updated}, không đổi ${res.unchanged}.`, 'imported');
        await load();
      } catch (err) {
        if (err.body && err.body.rows) {
          report.replaceChildren(h('div', { class: 'msg error', role: 'alert' }, refusal(err)));
          return;
        }
        throw err;
      }
    }));
    importCard = h('section', { class: 'card', id: 'annual-import' },
      h('h2', {}, 'Nhập dữ liệu từ tệp ', en('import')),
      h('p', { class: 'hint' }, 'Tải mẫu (đã điền sẵn dữ liệu của năm đang chọn), điền hoặc sửa, rồi nhập lại. Tệp có lỗi thì không dòng nào được nhập.'),
      h('div', { class: 'actions' }, xlsx, csv),
      h('div', { class: 'inline-form' }, h('label', { for: 'import-file', class: 'label' }, 'Tệp đã điền'), file, go),
      box, report);
  }

  year.addEventListener('change', () => {
    editSlot.replaceChildren();
    clearMsg(listBox);
    load();
  });
  mount(root,
    h('h1', { tabindex: '-1' }, 'Dữ liệu bình xét hằng năm ', en('Annual data')),
    h('p', { class: 'lead' }, 'Xếp loại, thời gian công tác, ngày nghỉ, kỷ luật, sáng kiến của từng người, từng đơn vị: căn cứ xét điều kiện khen thưởng.'),
    h('div', { class: 'toolbar' }, field(['Năm ', en('Year')], year)),
    importCard, editSlot, listBox, out);
  await load();
}
