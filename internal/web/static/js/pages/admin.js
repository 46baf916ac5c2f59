import {
  ApiError, enc, get, org, post, put,
} from '../api.js';
import {
  clearMsg, en, field, fmtDate, fmtTime, h, mount, msgBox, runAction, showError, showOk,
} from '../dom.js';
import { confirmAction } from '../confirm.js';

// Quản trị hệ thống (#/admin): the directory of the records store, edited by an admin
// through /api/v1/directory — people (search and filter by unit, role and status; add;
// edit name, position, roles, password; move to another unit from a date; deactivate
// and reactivate; each person's history of changes), units (add, rename, close, reopen),
// and, read-only, who signs the decisions (agency.decision.signer and its delegations),
// the council, and the award types and movements of the rule set in force, which the
// organisation YAML still holds. Every check is the server's: a refusal (the last văn
// thư, an admin locking themselves out, a unit still staffed) is shown next to the form
// in the server's Vietnamese words.

const TABS = [
  ['people', 'Người dùng', 'people'],
  ['units', 'Đơn vị', 'units'],
  ['rules', 'Người ký và quy định', 'signers and rules'],
];

// A note for the next page shown (after adding a person, the page moves to them).
let flash = null;

// fold lower-cases and drops the diacritics (đ too), so "nguyen" finds "Nguyễn".
function fold(s) {
  return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

// A user name or unit code, shown as data (not a label): kept out of the page's scan for
// leaked codes by data-code.
const code = (s) => h('code', { 'data-code': '', translate: 'no' }, s);

function statusBadge(active) {
  return active ? h('span', { class: 'badge admin-active' }, 'Đang hoạt động')
    : h('span', { class: 'badge admin-inactive' }, 'Ngừng hoạt động');
}

function roleLabeler(o) {
  const m = new Map((o.labels.roles || []).map((r) => [r.code, r.label]));
  return (codes) => (codes || []).map((c) => m.get(c) || c).join(', ');
}

// load reads what every view needs. The rules in force are the admin's alone: anyone
// else gets the server's refusal, shown as the page (asked first, so that the refusal
// shown is that one).
async function load(view) {
  const rules = get('/api/v1/admin/rules');
  const rest = Promise.all([
    get('/api/v1/directory/people?include_inactive=true'),
    get('/api/v1/directory/units'),
    org(),
    view === 'rules' ? get('/api/v1/movements') : null,
  ]);
  rest.catch(() => {}); // awaited below, after the refusal if any
  const r = await rules;
  const [people, units, o, movements] = await rest;
  return {
    people: people.items || [], units: units.items || [], o, rules: r,
    movements: movements ? movements.items || [] : [],
  };
}

function header(view) {
  return [
    h('div', { class: 'page-head' },
      h('div', {},
        h('h1', {}, 'Quản trị hệ thống', en('Administration')),
        h('p', { class: 'lead admin-lead' }, 'Danh bạ cơ quan: người dùng, đơn vị, vai trò; người ký văn bản và quy định đang áp dụng.'))),
    h('nav', { class: 'admin-tabs', 'aria-label': 'Các mục quản trị' },
      TABS.map(([key, label, english]) => h('a', {
        href: `#/admin/${key}`, id: `admin-tab-${key}`, 'aria-current': key === view ? 'page' : null,
      }, label, en(english)))),
  ];
}

export async function render(root, params, ctx) {
  const view = params[0] || 'people';
  const id = params[1] || '';
  let data;
  try {
    data = await load(view);
  } catch (err) {
    if (!(err instanceof ApiError) || (err.status !== 403 && err.status !== 503)) throw err;
    if (!ctx.alive()) return;
    const box = msgBox('admin-refused');
    showError(box, err);
    mount(root, h('h1', {}, 'Quản trị hệ thống', en('Administration')), box,
      h('p', {}, h('a', { href: '#/' }, 'Về trang chủ')));
    return;
  }
  if (!ctx.alive()) return;
  const note = flash;
  flash = null;
  const top = msgBox('admin-flash');
  if (note) showOk(top, note[0], note[1]);
  let body;
  if (view === 'people' && id) body = await personView(data, id, ctx);
  else if (view === 'new-person') body = newPersonView(data, ctx);
  else if (view === 'units') body = unitsView(data, ctx);
  else if (view === 'rules') body = rulesView(data);
  else body = peopleView(data, ctx);
  if (!ctx.alive()) return;
  mount(root, header(view === 'new-person' ? 'people' : view), top, body);
  // The note of the last save goes once the admin does something else.
  const hide = () => clearMsg(top);
  const onClick = (e) => {
    if (e.target instanceof Element && e.target.closest('button')) hide();
  };
  root.addEventListener('submit', hide, true);
  root.addEventListener('click', onClick, true);
  ctx.onLeave(() => {
    root.removeEventListener('submit', hide, true);
    root.removeEventListener('click', onClick, true);
  });
}

// ---- people ------------------------------------------------------------------

function unitOptions(units, current, blank) {
  return [
    blank ? h('option', { value: '' }, blank) : null,
    units.filter((u) => u.active || u.id === current)
      .map((u) => h('option', { value: u.id, selected: u.id === current }, u.active ? u.name : `${u.name} (đã giải thể)`)),
  ];
}

function peopleView({ people, units, o }, ctx) {
  const roles = roleLabeler(o);
  const q = h('input', { type: 'search', id: 'admin-q', placeholder: 'Họ tên, tên đăng nhập hoặc chức vụ', autocomplete: 'off' });
  const unit = h('select', { id: 'admin-unit' }, h('option', { value: '' }, 'Tất cả đơn vị'),
    units.map((u) => h('option', { value: u.id }, u.name)));
  const role = h('select', { id: 'admin-role' }, h('option', { value: '' }, 'Tất cả vai trò'),
    (o.labels.roles || []).map((r) => h('option', { value: r.code }, r.label)));
  const status = h('select', { id: 'admin-status' },
    h('option', { value: 'active' }, 'Đang hoạt động'),
    h('option', { value: 'inactive' }, 'Đã ngừng hoạt động'),
    h('option', { value: 'all' }, 'Tất cả'));
  const count = h('p', { class: 'muted', id: 'admin-people-count', 'aria-live': 'polite' });
  const tbody = h('tbody', {});
  const tbl = h('table', { class: 'list admin-people', id: 'admin-people-table' },
    h('caption', {}, 'Người dùng'),
    h('thead', {}, h('tr', {}, ['Họ và tên', 'Tên đăng nhập', 'Chức vụ', 'Đơn vị', 'Vai trò', 'Trạng thái']
      .map((x) => h('th', { scope: 'col' }, x)))),
    tbody);

  function draw() {
    const text = fold(q.value.trim());
    const shown = people.filter((p) => (!unit.value || p.unit === unit.value)
      && (!role.value || (p.roles || []).includes(role.value))
      && (status.value === 'all' || (status.value === 'active') === p.active)
      && (!text || fold(p.name).includes(text) || p.id.includes(text) || fold(p.position).includes(text)));
    tbody.replaceChildren(...shown.map((p) => h('tr', { 'data-id': p.id },
      h('td', { 'data-label': 'Họ và tên' }, h('a', { class: 'item-link', href: `#/admin/people/${enc(p.id)}` }, p.name)),
      h('td', { 'data-label': 'Tên đăng nhập' }, code(p.id)),
      h('td', { 'data-label': 'Chức vụ' }, p.position || '—'),
      h('td', { 'data-label': 'Đơn vị' }, p.unit_label),
      h('td', { 'data-label': 'Vai trò' }, roles(p.roles)),
      h('td', { 'data-label': 'Trạng thái' }, statusBadge(p.active)))));
    count.textContent = shown.length ? `${shown.length} / ${people.length} người` : 'Không có ai khớp bộ lọc.';
    tbl.hidden = shown.length === 0;
  }
  for (const el of [unit, role, status]) el.addEventListener('change', draw);
  q.addEventListener('input', draw);
  draw();
  return h('section', { class: 'card', 'aria-labelledby': 'admin-people-h' },
    h('div', { class: 'section-head' },
      h('h2', { id: 'admin-people-h' }, 'Người dùng', en('people')),
      h('a', { class: 'button primary', href: '#/admin/new-person', id: 'admin-new-person' }, 'Thêm người dùng')),
    h('div', { class: 'toolbar', role: 'search' },
      field('Tìm', q), field('Đơn vị', unit), field('Vai trò', role), field('Trạng thái', status)),
    count, tbl);
}

// personFields builds the inputs shared by the new-person form and the edit form.
function personFields({ people, units, o }, p) {
  const positions = [...new Set(people.map((x) => x.position).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'vi'));
  const name = h('input', { type: 'text', id: 'person-name', value: p ? p.name : '', maxlength: 200, autocomplete: 'off' });
  const position = h('input', { type: 'text', id: 'person-position', value: p ? p.position : '', maxlength: 200, list: 'person-positions', autocomplete: 'off' });
  const unit = h('select', { id: 'person-unit', disabled: !!p }, unitOptions(units, p ? p.unit : '', p ? null : '— Chọn đơn vị —'));
  const roleBoxes = (o.labels.roles || []).map((r) => h('input', {
    type: 'checkbox', id: `person-role-${r.code}`, value: r.code, checked: !!p && (p.roles || []).includes(r.code),
  }));
  const rolesSet = h('fieldset', { id: 'person-roles', class: 'admin-roles' }, h('legend', {}, 'Vai trò'),
    (o.labels.roles || []).map((r, i) => h('label', { class: 'check', for: roleBoxes[i].id }, roleBoxes[i], r.label)));
  const password = h('input', { type: 'password', id: 'person-password', autocomplete: 'new-password', maxlength: 72 });
  const nodes = [
    field('Họ và tên', name),
    field('Chức vụ', position, 'Ghi như trên văn bản: Trưởng phòng, Chuyên viên, …'),
    h('datalist', { id: 'person-positions' }, positions.map((x) => h('option', { value: x }))),
    field('Đơn vị', unit, p ? 'Đổi đơn vị bằng mục “Điều chuyển” bên dưới (ghi ngày hiệu lực).' : null),
    rolesSet,
    field(p ? 'Đặt mật khẩu mới' : 'Mật khẩu', password,
      p ? 'Để trống: giữ mật khẩu hiện tại. Mật khẩu mới (ít nhất 8 ký tự) kết thúc mọi phiên đăng nhập của người này.'
        : 'Ít nhất 8 ký tự. Để trống: người này chưa đăng nhập được.'),
  ];
  const value = () => ({
    name: name.value, position: position.value, unit: unit.value,
    roles: roleBoxes.filter((b) => b.checked).map((b) => b.value),
    password: password.value,
  });
  return { nodes, value, password };
}

function newPersonView(data, ctx) {
  const id = h('input', {
    type: 'text', id: 'person-id', maxlength: 64, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false',
  });
  const f = personFields(data, null);
  const box = msgBox('person-error');
  const save = h('button', { type: 'submit', class: 'primary', id: 'person-save' }, 'Thêm người dùng');
  const form = h('form', { id: 'person-form', novalidate: true },
    field('Tên đăng nhập', id, 'Chữ thường không dấu, số và . _ - (2–64 ký tự); không đổi được sau khi tạo.'),
    f.nodes, box, h('div', { class: 'action-row' }, save, h('a', { href: '#/admin/people' }, 'Quay lại danh sách')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    runAction(save, box, async () => {
      const pid = id.value.trim();
      if (data.people.some((p) => p.id === pid)) {
        throw new ApiError(409, 'exists', `Tên đăng nhập “${pid}” đã có người dùng`, `user name "${pid}" is taken`);
      }
      const v = f.value();
      if (!v.password) delete v.password;
      // Create only: the server refuses a user name that exists, even one added by
      // another admin since this page loaded.
      const out = await put(`/api/v1/directory/people/${enc(pid || '-')}`, v, { headers: { 'If-None-Match': '*' } });
      flash = [`Đã thêm ${out.display_name}`, 'person added'];
      ctx.go(`/admin/people/${out.id}`);
    });
  });
  return h('section', { class: 'card admin-form', 'aria-labelledby': 'new-person-h' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/admin/people' }, 'Người dùng'), ' › Thêm mới'),
    h('h2', { id: 'new-person-h' }, 'Thêm người dùng', en('add a person')), form);
}

async function personView(data, id, ctx) {
  const p = await get(`/api/v1/directory/people/${enc(id)}`);
  if (!ctx.alive()) return null;
  const { units, o } = data;
  const roles = roleLabeler(o);
  const reload = (text, english) => {
    flash = [text, english];
    ctx.go(`/admin/people/${p.id}`);
  };

  // Edit: name, position, roles, password (the unit moves with a date, below).
  const f = personFields(data, p);
  const box = msgBox('person-error');
  const save = h('button', { type: 'submit', class: 'primary', id: 'person-save' }, 'Lưu thay đổi');
  const form = h('form', { id: 'person-form', novalidate: true }, f.nodes, box, h('div', { class: 'action-row' }, save));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    runAction(save, box, async () => {
      const v = f.value();
      if (!v.password) delete v.password;
      await put(`/api/v1/directory/people/${enc(p.id)}`, v);
      reload('Đã lưu thay đổi', 'saved');
    });
  });

  // Move to another unit from a date on (điều chuyển).
  const mUnit = h('select', { id: 'move-unit' }, unitOptions(units.filter((u) => u.id !== p.unit), '', '— Chọn đơn vị —'));
  const mPosition = h('input', { type: 'text', id: 'move-position', value: p.position, maxlength: 200, list: 'person-positions' });
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  const mDate = h('input', { type: 'date', id: 'move-date', max: today });
  const mNote = h('textarea', { id: 'move-note', rows: 2, maxlength: 1000 });
  const mBox = msgBox('move-error');
  const mBtn = h('button', { type: 'submit', id: 'move-btn' }, 'Ghi điều chuyển');
  const moveForm = h('form', { id: 'move-form', novalidate: true },
    field('Chuyển đến đơn vị', mUnit), field('Chức vụ ở đơn vị mới', mPosition),
    field('Ngày hiệu lực', mDate, 'Để trống: từ bây giờ. Có thể ghi ngày đã qua theo quyết định điều động, nhưng không trước lần thay đổi gần nhất trong lịch sử.'),
    field('Ghi chú (số quyết định điều động, …)', mNote), mBox, h('div', { class: 'action-row' }, mBtn));
  moveForm.addEventListener('submit', (e) => {
    e.preventDefault();
    runAction(mBtn, mBox, async () => {
      await post(`/api/v1/directory/people/${enc(p.id)}/move`,
        { unit: mUnit.value, position: mPosition.value, effective: mDate.value, note: mNote.value });
      reload('Đã ghi điều chuyển', 'move recorded');
    });
  });

  // Deactivate (a reason) or reactivate.
  const aBox = msgBox('active-error');
  let aBtn;
  if (p.active) {
    aBtn = h('button', { type: 'button', class: 'danger', id: 'deactivate-btn' }, 'Ngừng hoạt động');
    aBtn.addEventListener('click', async () => {
      const ok = await confirmAction({
        id: 'deactivate-dialog', title: `Ngừng hoạt động ${p.name}?`, titleEn: 'deactivate?', danger: true,
        body: [h('p', {}, 'Người này không đăng nhập được nữa (các phiên đang mở kết thúc ngay), không nhận việc mới; hồ sơ, lịch sử và khen thưởng của họ vẫn được giữ.')],
        reason: { label: 'Lý do (nghỉ hưu, chuyển công tác, …)', missing: 'Cần ghi lý do ngừng hoạt động.' },
        confirm: 'Ngừng hoạt động',
      });
      if (!ok || !ctx.alive()) return;
      runAction(aBtn, aBox, async () => {
        await post(`/api/v1/directory/people/${enc(p.id)}/deactivate`, { reason: ok.reason });
        reload('Đã ngừng hoạt động', 'deactivated');
      });
    });
  } else {
    aBtn = h('button', { type: 'button', class: 'primary', id: 'reactivate-btn' }, 'Cho hoạt động lại');
    aBtn.addEventListener('click', () => runAction(aBtn, aBox, async () => {
      await post(`/api/v1/directory/people/${enc(p.id)}/reactivate`, { reason: '' });
      reload('Đã cho hoạt động lại', 'reactivated');
    }));
  }

  return [
    h('p', { class: 'crumbs' }, h('a', { href: '#/admin/people' }, 'Người dùng'), ' › ', p.name),
    h('section', { class: 'card', 'aria-labelledby': 'person-h' },
      h('div', { class: 'section-head' },
        h('h2', { id: 'person-h' }, p.display_name),
        h('span', { id: 'person-status' }, statusBadge(p.active))),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Tên đăng nhập'), h('dd', {}, code(p.id)),
        h('dt', {}, 'Vai trò'), h('dd', { id: 'person-role-text' }, roles(p.roles)),
        h('dt', {}, 'Đăng nhập'), h('dd', {}, p.can_sign_in ? 'Đã có mật khẩu' : 'Chưa có mật khẩu: chưa đăng nhập được'),
        h('dt', {}, 'Cập nhật lần cuối'), h('dd', {}, fmtTime(p.updated_at)))),
    h('div', { class: 'admin-grid' },
      h('section', { class: 'card admin-form', 'aria-labelledby': 'edit-h' },
        h('h2', { id: 'edit-h' }, 'Sửa thông tin', en('edit')), form),
      h('div', {},
        p.active ? h('section', { class: 'card admin-form', 'aria-labelledby': 'move-h' },
          h('h2', { id: 'move-h' }, 'Điều chuyển', en('move to another unit')), moveForm) : null,
        h('section', { class: 'card', 'aria-labelledby': 'active-h' },
          h('h2', { id: 'active-h' }, 'Trạng thái tài khoản', en('account status')),
          h('p', {}, p.active ? 'Đang hoạt động.' : 'Đã ngừng hoạt động: không đăng nhập được, không nhận việc mới.'),
          aBox, h('div', { class: 'action-row' }, aBtn)))),
    historyCard(p, roles, units),
  ];
}

// The history of changes, newest first, each saying what changed.
function historyCard(p, roles, units) {
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const hist = p.history || [];
  const rows = hist.map((c, i) => {
    const prev = i > 0 ? hist[i - 1] : null;
    const changes = [];
    const diff = (label, a, b) => {
      if (!prev) changes.push(`${label}: ${b || '—'}`);
      else if (a !== b) changes.push(`${label}: ${a || '—'} → ${b || '—'}`);
    };
    diff('Họ và tên', prev && prev.name, c.name);
    diff('Chức vụ', prev && prev.position, c.position);
    diff('Đơn vị', prev && (prev.unit_label || unitName.get(prev.unit)), c.unit_label || unitName.get(c.unit));
    diff('Vai trò', prev && roles(prev.roles), roles(c.roles));
    return h('tr', { 'data-seq': String(c.seq) },
      h('td', { 'data-label': 'Hiệu lực từ' }, fmtDate(c.effective_at)),
      h('td', { 'data-label': 'Thay đổi' }, c.action_label),
      h('td', { 'data-label': 'Nội dung' }, changes.length ? h('ul', { class: 'admin-changes' }, changes.map((x) => h('li', {}, x))) : '—'),
      h('td', { 'data-label': 'Ghi chú' }, c.note || '—'),
      h('td', { 'data-label': 'Người thực hiện' }, c.recorded_by_label || '—'),
      h('td', { 'data-label': 'Ghi lúc' }, fmtTime(c.recorded_at)));
  }).reverse();
  return h('section', { class: 'card', 'aria-labelledby': 'history-h' },
    h('h2', { id: 'history-h' }, 'Lịch sử thay đổi', en('history of changes')),
    rows.length ? h('table', { class: 'list', id: 'person-history' },
      h('thead', {}, h('tr', {}, ['Hiệu lực từ', 'Thay đổi', 'Nội dung', 'Ghi chú', 'Người thực hiện', 'Ghi lúc']
        .map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows)) : h('p', { class: 'empty' }, 'Chưa có thay đổi nào.'));
}

// ---- units -------------------------------------------------------------------

function unitsView({ people, units }, ctx) {
  const staffed = new Map();
  for (const p of people) if (p.active) staffed.set(p.unit, (staffed.get(p.unit) || 0) + 1);
  const uid = h('input', { type: 'text', id: 'unit-id', maxlength: 32, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const name = h('input', { type: 'text', id: 'unit-name', maxlength: 200, autocomplete: 'off' });
  const active = h('input', { type: 'checkbox', id: 'unit-active', checked: true });
  const box = msgBox('unit-error');
  const save = h('button', { type: 'submit', class: 'primary', id: 'unit-save' }, 'Lưu đơn vị');
  const title = h('h2', { id: 'unit-form-h' }, 'Thêm đơn vị');
  let editing = '';
  const reset = () => {
    editing = '';
    uid.value = '';
    uid.readOnly = false;
    name.value = '';
    active.checked = true;
    title.textContent = 'Thêm đơn vị';
  };
  const form = h('form', { id: 'unit-form', novalidate: true },
    field('Mã đơn vị', uid, 'Chữ thường không dấu, số và _ - (1–32 ký tự); không đổi được sau khi tạo.'),
    field('Tên đơn vị', name),
    h('p', { class: 'admin-check' }, h('label', { class: 'check', for: active.id }, active, 'Đang hoạt động (bỏ chọn để giải thể; chỉ khi không còn ai làm việc)')),
    box, h('div', { class: 'action-row' }, save, h('button', { type: 'button', id: 'unit-reset', onclick: () => { reset(); uid.focus(); } }, 'Thêm đơn vị mới')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    runAction(save, box, async () => {
      const id = uid.value.trim();
      if (!editing && units.some((u) => u.id === id)) {
        throw new ApiError(409, 'exists', `Mã đơn vị “${id}” đã có`, `unit code "${id}" is taken`);
      }
      const out = await put(`/api/v1/directory/units/${enc(id || '-')}`, { name: name.value, active: active.checked },
        editing ? {} : { headers: { 'If-None-Match': '*' } });
      flash = [`Đã lưu đơn vị ${out.name}`, 'unit saved'];
      ctx.go('/admin/units');
    });
  });
  const rows = units.map((u) => h('tr', { 'data-id': u.id },
    h('td', { 'data-label': 'Tên đơn vị' }, h('strong', {}, u.name)),
    h('td', { 'data-label': 'Mã' }, code(u.id)),
    h('td', { 'data-label': 'Đang làm việc' }, `${staffed.get(u.id) || 0} người`),
    h('td', { 'data-label': 'Trạng thái' }, u.active ? h('span', { class: 'badge admin-active' }, 'Đang hoạt động')
      : h('span', { class: 'badge admin-inactive' }, 'Đã giải thể')),
    h('td', { 'data-label': 'Cập nhật' }, fmtTime(u.updated_at)),
    h('td', {}, h('button', {
      type: 'button', class: 'link-button', id: `unit-edit-${u.id}`,
      onclick: () => {
        editing = u.id;
        uid.value = u.id;
        uid.readOnly = true;
        name.value = u.name;
        active.checked = u.active;
        title.textContent = `Sửa đơn vị ${u.name}`;
        name.focus();
        form.scrollIntoView({ block: 'nearest' });
      },
    }, 'Sửa'))));
  return h('div', {},
    h('section', { class: 'card', 'aria-labelledby': 'units-h' },
      h('h2', { id: 'units-h' }, 'Đơn vị', en('units')),
      h('table', { class: 'list', id: 'units-table' },
        h('thead', {}, h('tr', {}, ['Tên đơn vị', 'Mã', 'Đang làm việc', 'Trạng thái', 'Cập nhật', 'Thao tác']
          .map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, rows))),
    h('section', { class: 'card admin-form admin-unit-form', 'aria-labelledby': 'unit-form-h' }, title, form));
}

// ---- signers, council and the rules in force (read-only) -----------------------

function rulesView({
  people, o, rules, movements,
}) {
  // Who holds the roles the agency cannot work without, named by the API's role labels.
  const roleLabel = new Map((o.labels.roles || []).map((r) => [r.code, r.label]));
  const council = ['council_chair', 'council_secretary', 'council_member', 'clerk'].map((role) => [
    roleLabel.get(role) || role,
    people.filter((p) => p.active && (p.roles || []).includes(role)).map((p) => p.display_name),
  ]);
  council.push(['Người xét hồ sơ của lãnh đạo phòng', (rules.head_proposal_reviewers || []).map((x) => x.label)]);
  const rs = rules.rule_set;
  const types = rules.award_types || [];
  const inactive = h('span', { class: 'badge admin-inactive' }, 'Ngừng hoạt động');
  return [
    h('section', { class: 'card', 'aria-labelledby': 'signers-h' },
      h('h2', { id: 'signers-h' }, 'Người ký văn bản', en('who signs')),
      h('table', { class: 'list', id: 'signers-table' },
        h('thead', {}, h('tr', {}, ['Ký', 'Người ký', 'Chức danh ký', 'Loại khen thưởng'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, (rules.signers || []).map((g) => h('tr', { 'data-kind': g.kind },
          h('td', { 'data-label': 'Ký' }, g.kind_label),
          h('td', { 'data-label': 'Người ký' }, g.person_label, g.active ? null : [' ', inactive.cloneNode(true)]),
          h('td', { 'data-label': 'Chức danh ký' }, g.signature || '—'),
          h('td', { 'data-label': 'Loại khen thưởng' }, g.award_types.length ? g.award_types.map((t) => t.label).join(', ')
            : 'Các loại không giao cấp phó ký'))))),
      h('h3', {}, 'Hội đồng, văn thư và người xét hồ sơ'),
      h('dl', { class: 'facts', id: 'council-list' }, council.flatMap(([label, list]) => [
        h('dt', {}, label),
        h('dd', {}, list.length ? list.join('; ') : h('span', { class: 'fail' }, 'Chưa có ai')),
      ]))),
    h('section', { class: 'card', 'aria-labelledby': 'types-h' },
      h('h2', { id: 'types-h' }, 'Loại khen thưởng của bộ quy định đang áp dụng', en('award types in force')),
      rs ? h('p', { id: 'ruleset-in-force' }, h('strong', {}, rs.label),
        ` — hiệu lực từ ${fmtDay(rs.effective)}, xét thành tích từ năm ${rs.from_year}`,
        rs.effective_verified ? '' : ' (ngày hiệu lực chưa đối chiếu văn bản)')
        : h('p', { class: 'empty', id: 'ruleset-in-force' }, 'Chưa có bộ quy định nào có hiệu lực.'),
      (rules.rule_sets || []).length > 1 ? h('p', { class: 'hint' }, 'Các bộ quy định khác: ',
        rules.rule_sets.filter((x) => !x.in_force).map((x) => `${x.label} (xét thành tích từ năm ${x.from_year})`).join('; '), '.') : null,
      types.length ? h('table', { class: 'list', id: 'types-table' },
        h('thead', {}, h('tr', {}, ['Loại khen thưởng', 'Đối tượng', 'Thẩm quyền, người ký', 'Tiền thưởng', 'Biểu quyết', 'Căn cứ']
          .map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, types.map((t) => h('tr', { 'data-type': t.code },
          h('td', { 'data-label': 'Loại khen thưởng' }, h('strong', {}, t.name), ' ', h('span', { class: 'sub' }, `(${t.code})`)),
          h('td', { 'data-label': 'Đối tượng' }, t.kinds_label),
          h('td', { 'data-label': 'Thẩm quyền, người ký' }, t.authority_label, h('div', { class: 'sub' }, `Ký: ${t.signer_label}`)),
          h('td', { 'data-label': 'Tiền thưởng' }, t.bonus_text,
            t.bonus_citation ? h('div', { class: 'sub' }, t.bonus_citation, t.bonus_verified ? '' : ' (chưa đối chiếu)') : null),
          h('td', { 'data-label': 'Biểu quyết' }, t.vote_text, t.quota_text ? h('div', { class: 'sub' }, t.quota_text) : null),
          h('td', { 'data-label': 'Căn cứ' }, t.citation || '—'))))) : null),
    h('section', { class: 'card', 'aria-labelledby': 'movements-h' },
      h('h2', { id: 'movements-h' }, 'Phong trào thi đua', en('movements')),
      movements.length ? h('table', { class: 'list', id: 'movements-table' },
        h('thead', {}, h('tr', {}, ['Phong trào', 'Năm thành tích', 'Thời gian', 'Tình trạng'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, movements.map((m) => h('tr', {},
          h('td', { 'data-label': 'Phong trào' }, h('strong', {}, m.name), m.plan ? h('div', { class: 'sub' }, m.plan) : null),
          h('td', { 'data-label': 'Năm thành tích' }, m.year ? String(m.year) : 'Năm nộp hồ sơ'),
          h('td', { 'data-label': 'Thời gian' }, m.period_label || '—'),
          h('td', { 'data-label': 'Tình trạng' }, m.status_label))))) : h('p', { class: 'empty' }, 'Chưa có phong trào.')),
    h('section', { class: 'card admin-yaml', id: 'rules-yaml-note', 'aria-labelledby': 'yaml-h' },
      h('h2', { id: 'yaml-h' }, 'Sửa các mục này ở đâu?'),
      h('p', {}, 'Người ký, cấp phó ký thay, người xét hồ sơ của lãnh đạo phòng, bộ quy định, loại khen thưởng và phong trào thi đua hiện được khai báo trong tệp cấu hình của cơ quan (tệp YAML, biến môi trường AWARDFLOW_ORG_CONFIG), không sửa trên trang này. Sửa tệp cấu hình rồi khởi động lại máy chủ; máy chủ kiểm tra tệp và từ chối khởi động kèm lý do nếu cấu hình sai.'),
      h('p', {}, 'Người dùng, đơn vị và vai trò (Chủ tịch, Thư ký, thành viên Hội đồng, văn thư) thì sửa ngay tại mục “Người dùng” và “Đơn vị”; thay đổi có hiệu lực ngay, không cần khởi động lại.'),
      en('Signers, deputies, reviewers, rule sets, award types and movements live in the organisation YAML: edit the file and restart the server. People, units and roles are edited here and hold at once.')),
  ];
}

// fmtDay writes a YYYY-MM-DD date as dd/mm/yyyy.
function fmtDay(s) {
  return /^\d{4}-\d{2}-\d{2}$/.test(s || '') ? s.split('-').reverse().join('/') : (s || '—');
}
