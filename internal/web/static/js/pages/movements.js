import {
  currentSession, enc, get, post,
} from '../api.js';
import {
  clearMsg, en, fmtDate, h, mount, msgBox, runAction, showError, showOk, table, uid,
} from '../dom.js';

// The movements (phong trào thi đua): each with its period, its reviews (sơ kết, tổng
// kết) and their due dates, its criteria with their numeric targets, and registration
// (đăng ký thi đua) with the movement's commitment form: everyone for themselves, a head
// also for their unit. The office (admins, the council, the văn thư) and heads see the
// list of registrations; anyone else their own. Every word about a code comes from the
// server (status_label, kind_label, target_label …).

function roles() {
  const s = currentSession();
  return (s && s.user.roles) || [];
}

// The office sees everyone's registrations; a head their unit's (award.RegistrationScope).
function seesList() {
  const r = roles();
  return r.includes('admin') || r.includes('clerk') || r.includes('department_head') || r.some((x) => x.startsWith('council_'));
}

function isHead() {
  return roles().includes('department_head');
}

// When a review is due, in words: "còn 12 ngày", "đã qua 340 ngày".
function dueIn(ms) {
  if (ms.days_left > 0) return `còn ${ms.days_left} ngày`;
  if (ms.days_left === 0) return 'đến hạn hôm nay';
  return `đã qua ${-ms.days_left} ngày`;
}

function milestones(m) {
  const list = m.milestones || [];
  if (!list.length) return h('p', { class: 'empty' }, 'Phong trào không đặt đợt sơ kết, tổng kết.');
  const rows = list.map((ms) => {
    const past = ms.days_left < 0 || ms.status === 'held';
    return h('tr', { class: past ? 'ms-past' : 'ms-upcoming', dataset: { milestone: ms.id, status: ms.status } },
      h('td', { 'data-label': 'Đợt' }, h('strong', {}, ms.kind_label)),
      h('td', { 'data-label': 'Nội dung' }, ms.title),
      h('td', { 'data-label': 'Hạn' }, ms.due_label),
      h('td', { 'data-label': 'Tình trạng' },
        h('span', { class: `badge ms-${ms.status}` }, ms.status_label), ' ',
        h('span', { class: 'sub' }, ms.held ? `tổ chức ngày ${fmtDate(ms.held)}` : dueIn(ms))));
  });
  return table(h('span', {}, 'Sơ kết, tổng kết ', en('reviews')),
    ['Đợt', 'Nội dung', 'Hạn', 'Tình trạng'], rows, { class: 'list milestones' });
}

function criteriaList(title, list, targets) {
  if (!list || !list.length) return null;
  return h('div', { class: 'criteria-group' },
    h('h4', {}, title),
    h('ol', { class: 'criteria' }, list.map((c) => h('li', { dataset: { criterion: c.id } },
      c.text,
      targets[c.id] ? h('span', { class: 'target' }, ` Chỉ tiêu: ${targets[c.id]}`) : null))));
}

function criteria(m) {
  const targets = m.criterion_targets || {};
  return h('details', { class: 'criteria-box' },
    h('summary', {}, 'Tiêu chí thi đua ', en('criteria')),
    criteriaList('Tiêu chí chung', m.general_criteria, targets),
    criteriaList('Đối với tập thể', m.collective_criteria, targets),
    criteriaList('Đối với cá nhân', m.individual_criteria, targets));
}

// The commitment form for one kind: every item of the movement's form, a number for
// those with a target (the target by default), optional items may be left out.
function registrationForm(m, title, kind, onDone) {
  const items = (m.forms && m.forms[kind]) || [];
  const box = msgBox(uid('reg-msg'));
  const fields = items.map((it) => {
    const check = h('input', { type: 'checkbox', checked: true, disabled: !it.optional });
    const num = it.target ? h('input', {
      type: 'number', step: 'any', inputmode: 'decimal', value: String(it.target.value), class: 'reg-value',
      'aria-label': `Chỉ tiêu cam kết: ${it.text}`,
    }) : null;
    const el = h('li', { class: 'reg-item', dataset: { item: it.id } },
      h('label', { class: 'check' }, check, h('span', {}, it.text)),
      it.target_label ? h('div', { class: 'reg-target' },
        h('span', { class: 'sub' }, `Yêu cầu của phong trào: ${it.target_label}. Cam kết: `), num,
        it.target.unit ? h('span', { class: 'sub' }, ` ${it.target.unit}`) : null) : null,
      it.optional ? h('span', { class: 'sub' }, ' (không bắt buộc)') : null);
    return { it, check, num, el };
  });
  const other = h('textarea', { rows: '2', maxlength: '2000', class: 'reg-other' });
  const otherId = uid('reg-other');
  other.id = otherId;
  const submit = h('button', { type: 'submit', class: 'primary reg-submit' }, title);
  const form = h('form', { class: 'reg-form', dataset: { kind } },
    h('ol', { class: 'reg-items' }, fields.map((f) => f.el)),
    h('div', { class: 'field' }, h('label', { for: otherId }, 'Cam kết khác ', en('other commitments')), other),
    h('div', { class: 'actions' }, submit), box);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    runAction(submit, box, async () => {
      const commitments = fields.filter((f) => f.check.checked).map((f) => {
        const c = { item_id: f.it.id };
        if (f.num && f.num.value.trim() !== '') c.value = Number(f.num.value.replace(',', '.'));
        return c;
      });
      const out = await post(`/api/v1/movements/${enc(m.id)}/registrations`, { kind, commitments, other: other.value });
      await onDone(`${out.subject_label}: ${out.status_label.toLowerCase()} thi đua phong trào “${m.name}”.`);
    });
  });
  return form;
}

function registrationBlock(m, reload) {
  const open = m.registration_status === 'open';
  const parts = [];
  const mine = m.my_registration || {};
  const window = m.registration && m.registration.closes
    ? ` (hạn đăng ký ${fmtDate(m.registration.closes)})` : '';
  parts.push(h('p', { class: 'reg-status' },
    h('span', { class: `badge reg-${m.registration_status}` }, m.registration_status_label), window));
  if ((m.registration_required_for || []).length) {
    parts.push(h('p', { class: 'sub' }, 'Đề nghị khen thưởng cần đăng ký thi đua trước: ',
      m.registration_required_for.map((l) => l.label).join(', '), '.'));
  }
  const forms = m.forms || {};
  const meDone = !!mine.individual;
  if (forms.individual) {
    parts.push(meDone
      ? h('p', { class: 'pass reg-mine' }, '✓ Bạn đã đăng ký thi đua.')
      : h('p', { class: 'reg-mine' }, 'Bạn chưa đăng ký thi đua.'));
    if (open) {
      parts.push(h('details', { class: 'reg-details', open: !meDone },
        h('summary', {}, meDone ? 'Sửa bản đăng ký của tôi' : 'Đăng ký thi đua cho bản thân'),
        registrationForm(m, 'Đăng ký thi đua', 'individual', reload)));
    }
  }
  if (forms.collective && isHead()) {
    parts.push(mine.unit
      ? h('p', { class: 'pass reg-unit' }, '✓ Đơn vị của bạn đã đăng ký thi đua.')
      : h('p', { class: 'reg-unit' }, 'Đơn vị của bạn chưa đăng ký thi đua.'));
    if (open) {
      parts.push(h('details', { class: 'reg-details reg-unit-details', open: !mine.unit },
        h('summary', {}, mine.unit ? 'Sửa bản đăng ký của đơn vị' : 'Đăng ký thi đua cho đơn vị'),
        registrationForm(m, 'Đăng ký cho đơn vị', 'collective', reload)));
    }
  }
  return h('section', { class: 'registration' }, h('h3', {}, 'Đăng ký thi đua ', en('registration')), parts);
}

async function registrationsList(m, ctx) {
  const out = h('section', { class: 'registrations', dataset: { movement: m.id } });
  const office = seesList();
  let list;
  try {
    list = await get(`/api/v1/movements/${enc(m.id)}/registrations`);
  } catch (err) {
    const box = msgBox(uid('regs-error'));
    showError(box, err);
    out.append(box);
    return out;
  }
  if (!ctx.alive()) return out;
  const items = list.items || [];
  const head = office ? 'Danh sách đăng ký thi đua' : 'Bản đăng ký của tôi';
  const counts = list.registered || {};
  out.append(h('h3', {}, head, ' ', en(office ? 'registrations' : 'my registration')));
  if (office) {
    out.append(h('p', { class: 'reg-counts' },
      `Đã đăng ký: ${counts.individual || 0} cá nhân, ${counts.collective || 0} tập thể.`));
  }
  if (!items.length) {
    out.append(h('p', { class: 'empty' }, 'Chưa có bản đăng ký nào.'));
    return out;
  }
  const rows = items.map((r) => h('tr', { dataset: { subject: r.subject_id, kind: r.kind } },
    h('td', { 'data-label': 'Đối tượng' }, h('strong', {}, r.subject_label), h('br'), h('span', { class: 'sub' }, r.kind_label)),
    h('td', { 'data-label': 'Đơn vị' }, r.unit_label),
    h('td', { 'data-label': 'Cam kết' }, h('ul', { class: 'commitments' },
      r.items.map((c) => h('li', {}, c.text, c.value_label ? h('strong', {}, ` — ${c.value_label}`) : null)),
      r.commitments && r.commitments.other ? h('li', { class: 'prewrap' }, r.commitments.other) : null)),
    h('td', { 'data-label': 'Người đăng ký' }, r.registered_by_label, h('br'), h('span', { class: 'sub' }, fmtDate(r.registered_at)))));
  out.append(table(null, ['Đối tượng', 'Đơn vị', 'Cam kết', 'Người đăng ký'], rows, { class: 'list regs-table' }));
  return out;
}

function facts(m) {
  const dl = h('dl', { class: 'facts compact' });
  const add = (k, v) => { if (v) dl.append(h('dt', {}, k), h('dd', {}, v)); };
  add('Thời gian', m.period_label);
  add('Chủ đề', m.theme);
  add('Căn cứ', m.plan);
  add('Năm thành tích', m.year ? String(m.year) : '');
  return dl;
}

async function movementCard(m, ctx, reload) {
  return h('section', { class: 'card movement', id: `movement-${m.id}`, dataset: { movement: m.id } },
    h('div', { class: 'doc-head' }, h('h2', {}, m.name),
      h('span', { class: `badge mv-${m.status}` }, m.status_label)),
    facts(m),
    milestones(m),
    criteria(m),
    registrationBlock(m, reload),
    await registrationsList(m, ctx));
}

export async function render(root, _params, ctx) {
  const box = msgBox('movements-msg');
  const list = h('div', { id: 'movements-list' });
  async function load(done) {
    let data;
    clearMsg(box);
    try {
      data = await get('/api/v1/movements');
    } catch (err) {
      showError(box, err);
      return;
    }
    if (!ctx.alive()) return;
    const cards = [];
    for (const m of data.items || []) {
      cards.push(await movementCard(m, ctx, load));
    }
    if (!ctx.alive()) return;
    list.replaceChildren(...(cards.length ? cards : [h('p', { class: 'empty' }, 'Cơ quan chưa phát động phong trào thi đua nào.')]));
    if (done) showOk(box, done, 'registered');
  }
  mount(root,
    h('h1', { tabindex: '-1' }, 'Phong trào thi đua ', en('Emulation movements')),
    h('p', { class: 'lead' }, 'Thời gian, các đợt sơ kết, tổng kết, tiêu chí và đăng ký thi đua của từng phong trào.'),
    box, list);
  await load();
}
