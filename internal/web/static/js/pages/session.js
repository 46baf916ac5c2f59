import { currentSession, download, enc, get, newKey, org, post } from '../api.js';
import {
  en, h, mount, msgBox, runAction, showOk, table, timeEl,
} from '../dom.js';

const POLL_MS = 2000;

export async function render(root, params, ctx) {
  const id = params[0];
  const me = currentSession().user;
  const roles = me.roles || [];
  const [first, o] = await Promise.all([get(`/api/v1/sessions/${enc(id)}`), org()]);
  if (!ctx.alive()) return;
  const awardName = (code) => (o.award_types || []).find((t) => t.code === code)?.name || code;
  // The ballot's options and their words come with the session.
  const choices = (s) => (s.choices || []).map((c) => [c.code, c.label]);
  const mayExport = roles.includes('council_secretary') || roles.includes('council_chair') || roles.includes('admin');

  let timer = null;
  ctx.onLeave(() => clearTimeout(timer));
  let flash = null;

  const draw = (s) => {
    clearTimeout(timer);
    const member = (s.members || []).find((m) => m.id === me.id);
    const voted = (s.voted || []).includes(me.id);
    const flashBox = h('div', { class: 'msg', id: 'flash', role: 'status', hidden: true });
    if (flash) showOk(flashBox, flash[0], flash[1]);
    flash = null;

    mount(root, 
      h('nav', { class: 'crumbs', 'aria-label': 'Vị trí' }, h('a', { href: '#/sessions' }, 'Phiên họp'), ' › ', s.title),
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, s.title), h('p', { class: 'lead' }, 'Phiên họp Hội đồng Thi đua – Khen thưởng')),
        h('p', { class: `badge big session-${s.status}`, id: 'session-status', dataset: { status: s.status } }, s.status_label)),
      flashBox,
      s.error ? h('div', { class: 'msg error', role: 'alert' }, h('span', { class: 'msg-text' }, s.error)) : null,
      s.status === 'open' ? voting(s, member, voted) : null,
      s.status === 'closed' ? h('p', { class: 'card muted', id: 'closing' },
        'Đã kết thúc bỏ phiếu. Hệ thống đang kiểm phiếu, lập và ký quyết định, biên bản… Trang tự cập nhật.') : null,
      s.status === 'done' ? results(s) : null,
      s.status === 'done' ? documents(s) : null,
      agenda(s),
      members(s));
    if (s.status === 'closed' || s.status === 'opening') {
      timer = setTimeout(async () => {
        try {
          const next = await get(`/api/v1/sessions/${enc(s.id)}`);
          if (ctx.alive()) draw(next);
        } catch {
          if (ctx.alive()) timer = setTimeout(() => draw(s), POLL_MS);
        }
      }, POLL_MS);
    }
  };

  const voting = (s, member, voted) => {
    const parts = [];
    if (member && member.votes && !voted) {
      const key = newKey();
      const rows = (s.agenda || []).map((it, i) => h('tr', {},
        h('th', { scope: 'row' }, it.nominee_name, h('div', { class: 'sub' }, `${it.award_type_label} · ${it.department_label}`)),
        choices(s).map(([v, label]) => h('td', { class: 'choice' },
          h('label', { class: 'radio' },
            h('input', { type: 'radio', name: `mark-${i}`, value: v, dataset: { proposal: it.proposal_id }, id: `mark-${i}-${v}` }),
            ' ', label)))));
      const btn = h('button', { type: 'submit', class: 'primary', id: 'ballot-submit' }, 'Gửi phiếu');
      const box = msgBox('ballot-error');
      const form = h('form', { id: 'ballot-form', novalidate: true },
        h('table', { class: 'list ballot' },
          h('caption', {}, 'Phiếu bầu: chọn một ý kiến cho mỗi hồ sơ'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Hồ sơ'), choices(s).map(([, l]) => h('th', { scope: 'col' }, l)))),
          h('tbody', {}, rows)),
        h('p', { class: 'hint' }, 'Phiếu kín: hệ thống chỉ ghi nhận bạn đã bỏ phiếu, không lưu bạn chọn gì. Mỗi thành viên gửi phiếu một lần.'),
        h('div', { class: 'actions' }, btn), box);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const marks = {};
        for (const inp of form.querySelectorAll('input[type=radio]:checked')) marks[inp.dataset.proposal] = inp.value;
        // An unmarked row is left out: the server says which proposal is missing.
        const out = await runAction(btn, box, () => post(`/api/v1/sessions/${enc(s.id)}/ballot`, { marks }, { idem: key }));
        if (out && ctx.alive()) {
          flash = ['Đã ghi nhận phiếu của bạn.', 'Your ballot was recorded.'];
          draw(await get(`/api/v1/sessions/${enc(s.id)}`));
        }
      });
      parts.push(form);
    } else if (member && member.votes) {
      parts.push(h('p', { class: 'msg ok', id: 'voted-note' }, 'Bạn đã bỏ phiếu trong phiên họp này.'));
    }
    if (member && member.role === 'council_chair') {
      const btn = h('button', { type: 'button', class: 'danger', id: 'close-btn' }, 'Kết thúc bỏ phiếu');
      const box = msgBox('close-error');
      btn.addEventListener('click', async () => {
        const next = await runAction(btn, box, () => post(`/api/v1/sessions/${enc(s.id)}/close`, undefined, { idem: newKey() }));
        if (next && ctx.alive()) {
          flash = ['Đã kết thúc bỏ phiếu.', 'Voting closed.'];
          draw(next);
        }
      });
      parts.push(h('div', { class: 'close-row' },
        h('p', { class: 'hint' }, `Đã có ${(s.voted || []).length}/${(s.members || []).filter((m) => m.votes).length} thành viên bỏ phiếu. `,
          'Sau khi kết thúc, hệ thống kiểm phiếu, lập và ký quyết định, biên bản; không bỏ phiếu thêm được nữa.'),
        btn, box));
    }
    if (!parts.length) return null;
    return h('section', { class: 'card action-card', 'aria-labelledby': 'vote-h' },
      h('h2', { id: 'vote-h' }, 'Bỏ phiếu ', en('Vote')), parts);
  };

  const results = (s) => {
    const rows = (s.agenda || []).map((it) => {
      const c = (s.counts || {})[it.proposal_id] || {};
      const r = (s.results || {})[it.proposal_id] || {};
      return [
        h('a', { href: `#/proposals/${it.proposal_id}` }, it.nominee_name),
        it.award_type_label,
        ...choices(s).map(([code]) => String(c[code] ?? '—')),
        h('strong', { class: r.passed ? 'pass' : 'fail' }, r.passed ? 'Đạt' : 'Không đạt'),
        r.reason || '',
      ];
    });
    const quota = Object.entries(s.quota || {}).filter(([, q]) => (q.dropped || []).length);
    return h('section', { class: 'card', 'aria-labelledby': 'res-h' },
      h('h2', { id: 'res-h' }, 'Kết quả kiểm phiếu ', en('Results')),
      table(null, ['Người / tập thể', 'Hình thức', ...choices(s).map(([, label]) => label), 'Kết quả', 'Lý do'], rows, { class: 'list', id: 'results-table' }),
      s.invalid_ballots ? h('p', { class: 'hint' }, `Phiếu không hợp lệ: ${s.invalid_ballots}.`) : null,
      quota.map(([code, q]) => h('p', { class: 'hint' },
        `${awardName(code)}: áp dụng tỷ lệ tối đa ${q.limit} người; ${q.dropped.length} hồ sơ đạt số phiếu nhưng vượt tỷ lệ.`)));
  };

  const documents = (s) => {
    const box = msgBox('docs-error');
    const item = (label, path, name, idAttr) => {
      const btn = h('button', { type: 'button', class: 'link-button', id: idAttr }, 'Tải về');
      btn.addEventListener('click', () => runAction(btn, box, () => download(path, name)));
      return h('li', {}, h('span', {}, label), ' ', btn);
    };
    const list = [];
    for (const d of s.decisions || []) {
      list.push(item(`Quyết định ${d.number_text} — ${awardName(d.award_type)}`, `/api/v1/decisions/${enc(d.id)}/pdf`, `${d.id}.pdf`, null));
    }
    for (const d of s.submissions || []) {
      list.push(item(`Tờ trình ${d.number_text} — ${awardName(d.award_type)}`, `/api/v1/decisions/${enc(d.id)}/pdf`, `${d.id}.pdf`, null));
    }
    if (s.minutes) {
      list.push(item(`Biên bản họp và kiểm phiếu ${s.minutes.number_text}`, `/api/v1/sessions/${enc(s.id)}/minutes.pdf`, 'bien-ban.pdf', 'minutes-download'));
    }
    if (mayExport) {
      list.push(item('Toàn bộ văn bản của phiên họp (ZIP, kèm manifest.json và chứng thư ký số)',
        `/api/v1/sessions/${enc(s.id)}/export.zip`, `phien-hop-${s.id}.zip`, 'export-download'));
    }
    return h('section', { class: 'card', 'aria-labelledby': 'docs-h' },
      h('h2', { id: 'docs-h' }, 'Văn bản đã ký số ', en('Signed documents')),
      h('ul', { class: 'docs', id: 'documents' }, list), box,
      h('p', { class: 'hint' }, 'Kiểm tra chữ ký của một tệp tại trang ', h('a', { href: '#/verify' }, 'Kiểm tra văn bản'), '.'));
  };

  const agenda = (s) => h('section', { class: 'card', 'aria-labelledby': 'agenda-h' },
    h('h2', { id: 'agenda-h' }, 'Hồ sơ trong phiên họp ', en('Agenda')),
    table(null, ['Người / tập thể', 'Đối tượng', 'Hình thức', 'Phòng'], (s.agenda || []).map((it) => [
      h('a', { href: `#/proposals/${it.proposal_id}` }, it.nominee_name), it.kind_label, it.award_type_label, it.department_label,
    ]), { class: 'list' }),
    (s.skipped || []).length ? h('div', { id: 'skipped' },
      h('h3', {}, 'Hồ sơ không đưa được vào phiên họp'),
      h('ul', {}, s.skipped.map((x) => h('li', {}, `${x.reason} `, h('a', { href: `#/proposals/${x.proposal_id}` }, 'Xem hồ sơ'))))) : null,
    h('p', { class: 'hint' }, 'Mở phiên: ', timeEl(s.opened_at), s.closed_at ? ['. Kết thúc bỏ phiếu: ', timeEl(s.closed_at)] : null, '.'));

  const members = (s) => h('section', { class: 'card', 'aria-labelledby': 'mem-h' },
    h('h2', { id: 'mem-h' }, 'Thành viên Hội đồng ', en('Members')),
    table(null, ['Họ và tên', 'Chức vụ', 'Vai trò', 'Bỏ phiếu'], (s.members || []).map((m) => [
      m.name, m.title, m.role_label,
      !m.votes ? 'Không bỏ phiếu' : (s.voted || []).includes(m.id) ? '✓ Đã bỏ phiếu' : 'Chưa bỏ phiếu',
    ]), { class: 'list', id: 'members-table' }));

  draw(first);
}
