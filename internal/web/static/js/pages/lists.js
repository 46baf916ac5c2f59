// The department's annual list (danh sách đề nghị) in one step: the head (or whoever
// may file for the department) chooses the year, movement and award form, ticks the
// people of the unit from the directory — or imports the list from the spreadsheet
// template — attaches the list's evidence once, and every nominee becomes a proposal.
// Nothing is filed when a row is refused: the rows' problems are shown by row number.

import {
  currentSession, download, enc, get, newKey, org, post, request,
} from '../api.js';
import {
  clearMsg, en, field, h, mount, msgBox, runAction, showError, showOk, table,
} from '../dom.js';

// Folds case and Vietnamese diacritics, so that "dao" finds "Đào".
function fold(s) {
  return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

// The problems of a refused list, one row per problem, with the row number.
function rowErrors(err) {
  const body = err && err.body;
  const rows = body && (body.rows || (body.error && body.error.rows));
  if (!Array.isArray(rows) || !rows.length) return null;
  return h('div', { id: 'list-row-errors' },
    table(`Chưa lập hồ sơ nào: ${rows.length} dòng có lỗi. Sửa các dòng dưới đây rồi gửi lại.`,
      ['Dòng', 'Cột', 'Lỗi'],
      rows.map((r) => h('tr', { dataset: { row: String(r.row) } },
        h('td', {}, r.row ? `Dòng ${r.row}` : '—'),
        h('td', {}, r.column_label || '—'),
        h('td', {}, r.message, r.message_en ? en(r.message_en) : null))),
      { class: 'list', id: 'list-errors-table' }),
    body.more ? h('p', { class: 'hint' }, `… và ${body.more} lỗi khác.`) : null);
}

export async function render(root, _params, ctx) {
  const me = currentSession().user;
  const roles = me.roles || [];
  const o = await org();
  if (!ctx.alive()) return;
  const isAdmin = roles.includes('admin');

  // Year → the movements of that year: the achievement year of a proposal is its movement's.
  const years = [...new Set((o.movements || []).map((m) => m.year))].sort((a, b) => b - a);
  const yearSel = h('select', { id: 'list-year' }, years.map((y) => h('option', { value: String(y) }, String(y))));
  const movementSel = h('select', { id: 'list-movement' });
  const awardSel = h('select', { id: 'list-award' },
    (o.award_types || []).filter((t) => (t.kinds && t.kinds.length ? t.kinds.includes('individual') : !t.kind || t.kind === 'individual'))
      .map((t) => h('option', { value: t.code }, t.authority === 'upward' ? `${t.name} (trình cấp trên)` : t.name)));
  const depSel = h('select', { id: 'list-department', disabled: !isAdmin },
    (o.departments || []).filter((d) => !d.closed).map((d) => h('option', { value: d.id }, d.name)));
  depSel.value = me.department;
  const fillMovements = () => {
    const y = Number(yearSel.value);
    movementSel.replaceChildren(...(o.movements || []).filter((m) => m.year === y)
      .map((m) => h('option', { value: m.id }, m.name)));
  };
  yearSel.addEventListener('change', fillMovements);
  fillMovements();

  const allMet = h('input', { type: 'checkbox', id: 'list-all-met', checked: true });
  const submitNow = h('input', { type: 'checkbox', id: 'list-submit', checked: true });
  const evidence = h('input', { type: 'file', id: 'list-evidence', 'aria-describedby': 'list-evidence-hint' });

  // People of the unit, from the directory.
  const search = h('input', { type: 'search', id: 'people-search', autocomplete: 'off', placeholder: 'Gõ tên để tìm' });
  const selectAll = h('input', { type: 'checkbox', id: 'people-all' });
  const count = h('p', { class: 'hint', id: 'people-count', 'aria-live': 'polite' });
  const peopleWrap = h('div', { id: 'people' }, h('p', { class: 'muted' }, 'Đang tải…'));
  const peopleBox = msgBox('people-error');
  let people = [];
  const checks = () => [...peopleWrap.querySelectorAll('input[type=checkbox][data-person]')];
  const visibleChecks = () => checks().filter((c) => !c.closest('tr').hidden);
  const updateCount = () => {
    const n = checks().filter((c) => c.checked).length;
    count.textContent = `Đã chọn ${n}/${people.length} người.`;
    const vis = visibleChecks();
    selectAll.checked = vis.length > 0 && vis.every((c) => c.checked);
    selectAll.indeterminate = !selectAll.checked && vis.some((c) => c.checked);
  };
  const loadPeople = async () => {
    peopleWrap.replaceChildren(h('p', { class: 'muted' }, 'Đang tải…'));
    clearMsg(peopleBox);
    try {
      const data = await get(`/api/v1/directory/people?unit=${enc(depSel.value)}`);
      if (!ctx.alive()) return;
      people = (data.items || []).filter((p) => p.active !== false);
      const rows = people.map((p, i) => {
        const cb = h('input', { type: 'checkbox', id: `person-${i}`, dataset: { person: p.id } });
        cb.addEventListener('change', updateCount);
        return h('tr', { dataset: { name: fold(p.name) } },
          h('td', { class: 'pick' }, cb),
          h('td', {}, h('label', { for: cb.id }, p.name)),
          h('td', {}, p.position || '—'));
      });
      peopleWrap.replaceChildren(rows.length
        ? table(null, ['Chọn', 'Họ và tên', 'Chức vụ'], rows, { class: 'list people', id: 'people-table' })
        : h('p', { class: 'empty' }, 'Đơn vị chưa có ai trong danh bạ.'));
      search.value = '';
      updateCount();
    } catch (err) {
      if (ctx.alive()) {
        peopleWrap.replaceChildren();
        showError(peopleBox, err);
      }
    }
  };
  search.addEventListener('input', () => {
    const q = fold(search.value.trim());
    for (const tr of peopleWrap.querySelectorAll('tbody tr')) tr.hidden = q !== '' && !tr.dataset.name.includes(q);
    updateCount();
  });
  selectAll.addEventListener('change', () => {
    for (const c of visibleChecks()) c.checked = selectAll.checked;
    updateCount();
  });
  depSel.addEventListener('change', loadPeople);

  const out = h('div', { id: 'list-result' });
  const fileBtn = h('button', { type: 'button', class: 'primary', id: 'list-file' }, 'Lập danh sách đề nghị');
  const fileBox = msgBox('list-error');
  const importInput = h('input', { type: 'file', id: 'list-import-file', accept: '.xlsx,.csv', 'aria-describedby': 'list-import-hint' });
  const importBtn = h('button', { type: 'button', class: 'primary', id: 'list-import' }, 'Nhập tệp và lập danh sách');
  const importBox = msgBox('list-import-error');
  const tplXlsx = h('button', { type: 'button', id: 'list-template-xlsx' }, 'Tải mẫu XLSX');
  const tplCsv = h('button', { type: 'button', id: 'list-template-csv' }, 'Tải mẫu CSV');
  tplXlsx.addEventListener('click', () => runAction(tplXlsx, importBox,
    () => download('/api/v1/proposals/bulk/template?format=xlsx', 'mau-danh-sach-de-nghi.xlsx')));
  tplCsv.addEventListener('click', () => runAction(tplCsv, importBox,
    () => download('/api/v1/proposals/bulk/template?format=csv', 'mau-danh-sach-de-nghi.csv')));

  // One key per form state: a double click or a retry after a lost answer files once.
  let key = newKey();
  const all = [fileBtn, importBtn, tplXlsx, tplCsv];

  // After the list is filed (not submitted): the shared evidence goes to the first
  // proposal and is shared with the others; then each is submitted, as asked.
  const finish = async (res, box) => {
    const items = res.items || [];
    const filed = items.filter((r) => r.ok && r.proposal_id);
    const notes = new Map(); // proposal id → problems after filing
    const note = (id, text) => notes.set(id, [...(notes.get(id) || []), text]);
    const f = evidence.files && evidence.files[0];
    let shared = 0;
    if (f && filed.length) {
      const first = filed[0].proposal_id;
      try {
        const p = await request('POST', `/api/v1/proposals/${enc(first)}/evidence?filename=${enc(f.name)}`, { body: f, idem: `${key}-ev` });
        const sha = ((p.proposal || p).evidence || []).find((e) => e.name === f.name)?.sha256
          || ((p.proposal || p).evidence || []).slice(-1)[0]?.sha256;
        shared = 1;
        if (filed.length > 1 && sha) {
          const sh = await post(`/api/v1/proposals/${enc(first)}/evidence/${enc(sha)}/share`,
            { proposal_ids: filed.slice(1).map((r) => r.proposal_id) }, { idem: `${key}-share` });
          for (const r of sh.items || []) {
            if (r.ok) shared += 1;
            else note(r.proposal_id, `Minh chứng chung: ${r.error ? r.error.message : 'không đính kèm được'}`);
          }
        }
      } catch (err) {
        for (const r of filed) note(r.proposal_id, `Minh chứng chung: ${err.message}`);
      }
    }
    if (submitNow.checked) {
      const queue = filed.filter((r) => r.stage === 'draft');
      const worker = async () => {
        while (queue.length) {
          const r = queue.shift();
          try {
            const p = await post(`/api/v1/proposals/${enc(r.proposal_id)}/submit`, undefined, { idem: `${key}-submit-${r.proposal_id}` });
            const v = p.proposal || p;
            r.stage = v.stage;
            r.stage_label = v.stage_label;
          } catch (err) {
            note(r.proposal_id, `Chưa gửi được: ${err.message}`);
          }
        }
      };
      await Promise.all([worker(), worker(), worker()]);
    }
    if (!ctx.alive()) return;
    const rows = items.map((r) => h('tr', { dataset: { proposal: r.proposal_id || '', ok: String(r.ok) } },
      h('td', {}, `Dòng ${r.row}`),
      h('td', {}, r.proposal_id ? h('a', { href: `#/proposals/${r.proposal_id}`, class: 'item-link' }, r.nominee_name) : r.nominee_name),
      h('td', {}, r.stage_label || '—'),
      h('td', {}, r.ok && !notes.has(r.proposal_id) ? h('span', { class: 'pass' }, '✓ Đã lập') : null,
        r.error ? h('span', { class: 'fail' }, r.error.message) : null,
        (notes.get(r.proposal_id) || []).map((t) => h('div', { class: 'fail' }, t)))));
    const problems = items.length - filed.length + notes.size;
    out.replaceChildren(h('section', { class: 'card', 'aria-labelledby': 'list-result-h' },
      h('h2', { id: 'list-result-h' }, 'Hồ sơ đã lập ', en('Proposals filed')),
      h('p', { id: 'list-summary' }, `Đã lập ${filed.length}/${items.length} hồ sơ`,
        f && filed.length ? `; minh chứng chung “${f.name}” kèm theo ${shared} hồ sơ` : '',
        submitNow.checked ? '; đã gửi lãnh đạo xác nhận những hồ sơ đủ điều kiện' : '', '.'),
      table(null, ['Dòng', 'Người được đề nghị', 'Bước hiện tại', 'Kết quả'], rows, { class: 'list', id: 'list-result-table' })));
    if (problems) showError(box, { message: `Có ${problems} hồ sơ cần xem lại (xem cột Kết quả).`, messageEn: `${problems} to look at: see the table` });
    else showOk(box, `Đã lập danh sách: ${filed.length} hồ sơ.`, 'The list was filed.');
    key = newKey();
    // Filed: nobody stays ticked, so that a second click files nothing by mistake.
    for (const c of checks()) c.checked = false;
    updateCount();
    out.scrollIntoView({ block: 'start' });
  };

  // A refused list: the rows' problems, nothing filed.
  const refused = (box, err) => {
    showError(box, err);
    const t = rowErrors(err);
    out.replaceChildren(...(t ? [t] : []));
  };

  const params = () => ({
    department: depSel.value,
    movement_id: movementSel.value,
    award_type: awardSel.value,
    self_assessment: allMet.checked ? 'all_met' : '',
  });

  fileBtn.addEventListener('click', async () => {
    clearMsg(importBox);
    const picked = checks().filter((c) => c.checked).map((c) => c.dataset.person);
    if (!picked.length) {
      showError(fileBox, { message: 'Chưa chọn người nào trong danh sách.', messageEn: 'Tick at least one person.' });
      return;
    }
    let failure = null;
    const res = await runAction(all, fileBox, async () => {
      try {
        return await post('/api/v1/proposals/bulk', {
          ...params(), submit: false, entries: picked.map((id) => ({ kind: 'individual', nominee_id: id })),
        }, { idem: key });
      } catch (err) {
        failure = err;
        throw err;
      }
    });
    if (!ctx.alive()) return;
    if (res) await runAction(all, fileBox, () => finish(res, fileBox));
    else if (failure) refused(fileBox, failure);
  });

  importBtn.addEventListener('click', async () => {
    clearMsg(fileBox);
    const f = importInput.files && importInput.files[0];
    if (!f) {
      showError(importBox, { message: 'Chọn tệp danh sách (XLSX hoặc CSV) để nhập.', messageEn: 'Choose the spreadsheet first.' });
      return;
    }
    const q = new URLSearchParams({ ...params(), submit: 'false' });
    if (!q.get('self_assessment')) q.delete('self_assessment');
    let failure = null;
    const res = await runAction(all, importBox, async () => {
      try {
        return await request('POST', `/api/v1/proposals/bulk/import?${q}`, { body: f, idem: key });
      } catch (err) {
        failure = err;
        throw err;
      }
    });
    if (!ctx.alive()) return;
    if (res) await runAction(all, importBox, () => finish(res, importBox));
    else if (failure) refused(importBox, failure);
  });

  mount(root,
    h('h1', {}, 'Danh sách đề nghị khen thưởng của phòng ', en("Department's annual list")),
    h('p', { class: 'lead' }, 'Lập hồ sơ cho nhiều người cùng lúc: chọn người trong danh bạ hoặc nhập từ tệp; mỗi người thành một hồ sơ, dùng chung minh chứng của danh sách.'),
    h('section', { class: 'card', 'aria-labelledby': 'list-what-h' },
      h('h2', { id: 'list-what-h' }, '1. Hình thức và năm ', en('Award and year')),
      h('div', { class: 'toolbar' },
        field(['Năm thành tích ', en('Year')], yearSel),
        field(['Phong trào thi đua ', en('Movement')], movementSel),
        field(['Hình thức khen thưởng ', en('Award')], awardSel),
        field(['Đơn vị ', en('Unit')], depSel)),
      h('div', { class: 'checks' },
        h('label', { class: 'check' }, allMet, ' Tự đánh giá: mọi người trong danh sách đạt tất cả tiêu chí của phong trào'),
        h('label', { class: 'check' }, submitNow, ' Gửi lãnh đạo xác nhận ngay sau khi lập')),
      field(['Minh chứng chung của danh sách ', en('Shared evidence')], evidence,
        'Ví dụ: biên bản họp bình xét của phòng. Tải lên một lần, kèm theo mọi hồ sơ trong danh sách (tối đa 25 MB).')),
    h('section', { class: 'card', 'aria-labelledby': 'list-people-h' },
      h('h2', { id: 'list-people-h' }, '2. Chọn người trong danh bạ ', en('Pick people')),
      h('div', { class: 'toolbar' },
        field(['Tìm theo tên ', en('Search')], search),
        h('label', { class: 'check', for: 'people-all' }, selectAll, ' Chọn tất cả')),
      count, peopleBox, peopleWrap,
      h('div', { class: 'actions' }, fileBtn), fileBox),
    h('section', { class: 'card', 'aria-labelledby': 'list-import-h' },
      h('h2', { id: 'list-import-h' }, 'Hoặc nhập danh sách từ tệp ', en('Or import a spreadsheet')),
      h('p', { class: 'hint' }, 'Tải mẫu, điền mỗi người một dòng (mã hoặc họ tên trong danh bạ, chức vụ, thành tích), rồi nhập tệp. ',
        'Nếu có dòng sai, không hồ sơ nào được lập và trang chỉ rõ từng dòng cần sửa.'),
      h('div', { class: 'action-row' }, tplXlsx, tplCsv),
      field(['Tệp danh sách (XLSX, CSV) ', en('Spreadsheet')], importInput),
      h('p', { class: 'hint', id: 'list-import-hint' }, 'Hình thức, phong trào, tự đánh giá và minh chứng chung lấy theo mục 1.'),
      h('div', { class: 'actions' }, importBtn), importBox),
    out);
  await loadPeople();
}
