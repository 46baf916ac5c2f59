import { currentSession, newKey, org, post } from '../api.js';
import { en, field, h, mount, msgBox, runAction } from '../dom.js';

/**
 * draftForm builds the proposal form (used to file and to revise). The choices come from
 * GET /api/v1/org; what is acceptable is the server's to say.
 * onSubmit(draft, button, box) does the request.
 */
export function draftForm(o, me, initial, submitLabel, onSubmit) {
  const init = initial || {};
  const kind = init.kind || 'individual';
  const kindRadios = (o.labels?.kinds || []).map((k) => h('label', { class: 'radio' },
    h('input', { type: 'radio', name: 'kind', value: k.code, checked: k.code === kind }), ' ', k.label));
  const awardSel = h('select', { id: 'award_type', name: 'award_type' });
  const movementSel = h('select', { id: 'movement_id', name: 'movement_id' },
    (o.movements || []).map((m) => h('option', { value: m.id }, `${m.name} (${m.year})`)));
  if (init.movement_id) movementSel.value = init.movement_id;
  const name = h('input', { id: 'nominee_name', name: 'nominee_name', autocomplete: 'off', value: init.nominee_name || '' });
  const position = h('input', { id: 'nominee_position', name: 'nominee_position', autocomplete: 'off', value: init.nominee_position || '' });
  const achievements = h('textarea', { id: 'achievements', name: 'achievements', rows: 6 }, init.achievements || '');
  const nameLabel = h('span', {});
  const criteriaList = h('ul', { class: 'criteria-preview', id: 'criteria-preview' });

  // The signed-in person's own name and position are offered for an individual nominee
  // until the user types something else; a collective starts empty.
  let touched = false;
  name.addEventListener('input', () => { touched = true; });
  position.addEventListener('input', () => { touched = true; });
  const currentKind = () => kindRadios.map((l) => l.querySelector('input')).find((i) => i.checked)?.value || 'individual';
  const refresh = () => {
    const k = currentKind();
    // Offer the award types for this kind of nominee first; the server still decides.
    const prev = awardSel.value || init.award_type;
    const types = (o.award_types || []).filter((t) => (t.kinds && t.kinds.length ? t.kinds.includes(k) : !t.kind || t.kind === k));
    awardSel.replaceChildren(...types.map((t) => h('option', { value: t.code },
      t.authority === 'upward' ? `${t.name} (trình cấp trên)` : t.name)));
    if (types.some((t) => t.code === prev)) awardSel.value = prev;
    if (!touched && init.prefill) {
      name.value = k === 'individual' ? init.nominee_name || '' : '';
      position.value = k === 'individual' ? init.nominee_position || '' : '';
    }
    const isCollective = k === 'collective';
    nameLabel.textContent = isCollective ? 'Tên tập thể được đề nghị' : 'Họ và tên người được đề nghị';
    const m = (o.movements || []).find((x) => x.id === movementSel.value);
    // The general criteria (for everyone) come first, as on the proposal.
    const crit = m ? [...(m.general_criteria || []), ...((k === 'collective' ? m.collective_criteria : m.individual_criteria) || [])] : [];
    criteriaList.replaceChildren(...crit.map((c) => h('li', {}, c.text)));
  };
  for (const l of kindRadios) l.querySelector('input').addEventListener('change', refresh);
  movementSel.addEventListener('change', refresh);
  refresh();

  const dep = (o.departments || []).find((d) => d.id === (init.department || me.department));
  const btn = h('button', { type: 'submit', class: 'primary', id: 'draft-submit' }, submitLabel);
  const box = msgBox('draft-error');
  const form = h('form', { class: 'card', id: 'draft-form', novalidate: true },
    h('fieldset', { class: 'radios' }, h('legend', {}, 'Đối tượng đề nghị ', en('Nominee')), kindRadios),
    field(['Hình thức khen thưởng ', en('Award')], awardSel),
    field(['Phong trào thi đua ', en('Movement')], movementSel),
    h('div', { class: 'field' }, h('span', { class: 'label' }, 'Tiêu chí của phong trào'), criteriaList),
    field([nameLabel, ' ', en('Name')], name),
    field(['Chức vụ ', en('Position')], position, 'Ví dụ: Chuyên viên, Phó Trưởng phòng.'),
    field(['Thành tích tóm tắt ', en('Achievements')], achievements,
      'Nêu ngắn gọn thành tích nổi bật; minh chứng (tệp) tải lên ở trang hồ sơ sau khi lập.'),
    h('p', { class: 'hint' }, 'Phòng: ', h('strong', {}, dep ? dep.name : (init.department || me.department))),
    h('div', { class: 'actions' }, btn),
    box);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const draft = {
      award_type: awardSel.value,
      movement_id: movementSel.value,
      kind: currentKind(),
      nominee_name: name.value,
      nominee_position: position.value,
      achievements: achievements.value,
    };
    if (init.department) draft.department = init.department;
    onSubmit(draft, btn, box);
  });
  return form;
}

// The last filing of this tab: {key, draft}. Browser Back from the new proposal shows
// the form again; filing the same draft again must find that proposal, not file a
// second one, so the key is kept per tab (sessionStorage) with the draft it was sent for.
const LAST_FILING = 'awardflow.create';

function keyFor(draft) {
  const body = JSON.stringify(draft);
  try {
    const last = JSON.parse(sessionStorage.getItem(LAST_FILING) || 'null');
    if (last && last.key && last.draft === body) return last.key;
  } catch {
    // unreadable: a new key
  }
  const key = newKey();
  try {
    sessionStorage.setItem(LAST_FILING, JSON.stringify({ key, draft: body }));
  } catch {
    // storage full or disabled: the key still holds for this form
  }
  return key;
}

export async function render(root, _params, ctx) {
  const me = currentSession().user;
  const o = await org();
  if (!ctx.alive()) return;
  // The same draft sent again — a double click, a retry after a lost answer, or the
  // form again after Back — carries the same Idempotency-Key, so the server answers with
  // the proposal the first request filed. Another draft is another proposal.
  const form = draftForm(o, me, { nominee_name: me.name, nominee_position: me.position, prefill: true }, 'Lập hồ sơ',
    async (draft, btn, box) => {
      const key = keyFor(draft);
      const p = await runAction(btn, box, () => post('/api/v1/proposals', draft, { idem: key }));
      if (p && ctx.alive()) ctx.go(`/proposals/${p.id}`);
    });
  mount(root, 
    h('h1', {}, 'Lập hồ sơ đề nghị khen thưởng ', en('New award proposal')),
    h('p', { class: 'lead' }, 'Sau khi lập, bạn tự đánh giá theo tiêu chí, tải minh chứng lên rồi gửi lãnh đạo phòng xác nhận.'),
    form);
  form.querySelector('#award_type').focus();
}
