import { currentSession, download, enc, get, newKey, org, post } from '../api.js';
import { confirmAction } from '../confirm.js';
import {
  en, fmtTime, h, mount, msgBox, runAction, showOk, table, timeEl,
} from '../dom.js';
import { previewArea, previewButton } from '../preview.js';
import { documentCards, objectionList, revokePreviews } from './session-docs.js';

const POLL_MS = 2000;
// While drafts wait for signers and the văn thư, others may act at any time: the page
// looks again now and then, and redraws only when something changed.
const DECIDING_POLL_MS = 5000;

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
  const isSecretary = roles.includes('council_secretary');
  // Members needed for the quorum of each award type on the agenda (the strictest).
  const quorumOf = (s) => {
    const voters = (s.members || []).filter((m) => m.votes).length;
    let need = 0;
    for (const it of s.agenda || []) {
      const q = ((s.rules || {})[it.award_type] || {}).quorum;
      if (q && q.den > 0) need = Math.max(need, Math.ceil((q.num * voters) / q.den));
    }
    return { voters, need };
  };

  let timer = null;
  // Previews of the documents' PDFs: blob: URLs by file and revision, and which file
  // each card shows, so that a redraw keeps what the person was reading.
  const previews = { blobs: new Map(), open: new Map() };
  const docErrors = new Map(); // a refused document action's message, shown after the redraw
  ctx.onLeave(() => {
    clearTimeout(timer);
    revokePreviews(previews);
  });
  let flash = null;
  let shown = '';
  // The public posting (công khai) of the council's list and the objections filed
  // against it: read beside the session, once the vote is counted.
  const loadExtra = async (s) => {
    const out = { posting: null, objections: [] };
    if (s.status !== 'deciding' && s.status !== 'done') return out;
    try {
      out.posting = await get(`/api/v1/sessions/${enc(s.id)}/posting`);
      out.objections = (await get(`/api/v1/sessions/${enc(s.id)}/objections`)).items || [];
    } catch {
      // not posted (404), or no records store: nothing to show
    }
    return out;
  };
  let extra = await loadExtra(first);
  if (!ctx.alive()) return;

  // Someone is answering a dialog or waiting for an action: a redraw now would take
  // the buttons and the message box of that action off the page.
  const busy = () => !!document.querySelector('dialog[open]') || !!root.querySelector('[aria-busy="true"]');

  const draw = (s) => {
    clearTimeout(timer);
    shown = JSON.stringify([s, extra]);
    const member = (s.members || []).find((m) => m.id === me.id);
    const voted = (s.voted || []).includes(me.id);
    const flashBox = h('div', { class: 'msg', id: 'flash', role: 'status', hidden: true });
    if (flash) showOk(flashBox, flash[0], flash[1]);
    flash = null;

    mount(root, 
      h('nav', { class: 'crumbs', 'aria-label': 'Vị trí' }, h('a', { href: '#/sessions' }, 'Phiên họp'), ' › ', s.title),
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, s.title), h('p', { class: 'lead' },
          s.case_number ? [h('span', { class: 'case-number' }, s.case_number), ' · '] : null,
          'Phiên họp Hội đồng Thi đua – Khen thưởng')),
        h('p', { class: `badge big session-${s.status}`, id: 'session-status', dataset: { status: s.status } }, s.status_label)),
      flashBox,
      s.error ? h('div', { class: 'msg error', role: 'alert' }, h('span', { class: 'msg-text' }, s.error)) : null,
      s.status === 'open' ? voting(s, member, voted) : null,
      s.status === 'closed' ? h('p', { class: 'card muted', id: 'closing' },
        'Đã kết thúc bỏ phiếu. Hệ thống đang kiểm phiếu, lập biên bản và dự thảo quyết định… Trang tự cập nhật.') : null,
      s.status === 'issue_failed' ? failure(s) : null,
      s.status === 'not_quorate' ? notQuorate(s) : null,
      s.status === 'deciding' || s.status === 'done' ? results(s) : null,
      s.status === 'deciding' || s.status === 'done' ? posting(s) : null,
      s.status === 'deciding' || s.status === 'done' ? documentCards(s, {
        choices: choices(s), previews, alive: ctx.alive, errors: docErrors,
        posting: extra.posting, objections: extra.objections,
        done: (next, note) => {
          flash = note;
          draw(next);
        },
        failed: async (docId, err) => {
          docErrors.set(docId, err);
          try {
            const next = await get(`/api/v1/sessions/${enc(s.id)}`);
            if (ctx.alive()) draw(next);
          } catch {
            docErrors.delete(docId); // the message stays where it was shown
          }
        },
      }) : null,
      s.status === 'deciding' || s.status === 'done' || s.status === 'not_quorate' ? documents(s) : null,
      agenda(s),
      members(s));
    const every = s.status === 'deciding' ? DECIDING_POLL_MS
      : s.status === 'closed' || s.status === 'opening' || s.status === 'issue_failed' ? POLL_MS : 0;
    if (every) {
      const poll = async () => {
        if (busy()) {
          timer = setTimeout(poll, every);
          return;
        }
        try {
          const next = await get(`/api/v1/sessions/${enc(s.id)}`);
          const nx = await loadExtra(next);
          if (!ctx.alive()) return;
          if (busy() || JSON.stringify([next, nx]) === shown) timer = setTimeout(poll, every);
          else {
            extra = nx;
            draw(next);
          }
        } catch {
          if (ctx.alive()) timer = setTimeout(poll, every);
        }
      };
      timer = setTimeout(poll, every);
    }
  };

  const voting = (s, member, voted) => {
    const parts = [];
    if (member && member.votes && !voted) {
      const key = newKey();
      const rows = (s.agenda || []).map((it, i) => h('tr', { dataset: { proposal: it.proposal_id } },
        h('th', { scope: 'row' }, it.nominee_name, h('div', { class: 'sub' },
          `${it.case_number ? `${it.case_number} · ` : ''}${it.award_type_label} · ${it.department_label}`)),
        choices(s).map(([v, label]) => h('td', { class: 'choice' },
          h('label', { class: 'radio' },
            h('input', { type: 'radio', name: `mark-${i}`, value: v, dataset: { proposal: it.proposal_id }, id: `mark-${i}-${v}` }),
            ' ', label)))));
      const btn = h('button', { type: 'submit', class: 'primary', id: 'ballot-submit' }, 'Gửi phiếu');
      const box = msgBox('ballot-error');
      // "Đồng ý tất cả": every row marked yes; the rows the member then changes are the
      // exceptions, sent as {all: "yes", marks: {exceptions}}.
      const allYes = h('input', { type: 'checkbox', id: 'ballot-all-yes' });
      const exceptionsNote = h('p', { class: 'hint', id: 'ballot-exceptions', 'aria-live': 'polite' });
      const rowsOf = () => [...rows];
      const markExceptions = () => {
        let n = 0;
        rowsOf().forEach((tr) => {
          const v = tr.querySelector('input[type=radio]:checked')?.value;
          const ex = allYes.checked && v !== 'yes';
          tr.classList.toggle('exception', ex);
          if (ex) n += 1;
        });
        exceptionsNote.textContent = allYes.checked
          ? (n ? `Đồng ý tất cả, trừ ${n} hồ sơ ngoại lệ (đánh dấu trong bảng).` : 'Đồng ý tất cả; đổi ý kiến ở hồ sơ nào thì hồ sơ đó là ngoại lệ.')
          : '';
      };
      allYes.addEventListener('change', () => {
        if (allYes.checked) {
          for (const r of rowsOf()) {
            const yes = r.querySelector('input[type=radio][value=yes]');
            if (yes) yes.checked = true;
          }
        }
        markExceptions();
      });
      const form = h('form', { id: 'ballot-form', novalidate: true },
        choices(s).some(([v]) => v === 'yes') ? h('div', { class: 'all-yes' },
          h('label', { class: 'check', for: 'ballot-all-yes' }, allYes, ' Đồng ý tất cả'),
          h('span', { class: 'hint' }, ' — rồi chọn ý kiến khác cho từng hồ sơ ngoại lệ nếu có.')) : null,
        exceptionsNote,
        h('table', { class: 'list ballot' },
          h('caption', {}, 'Phiếu bầu: chọn một ý kiến cho mỗi hồ sơ'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Hồ sơ'), choices(s).map(([, l]) => h('th', { scope: 'col' }, l)))),
          h('tbody', {}, rows)),
        h('p', { class: 'hint' }, 'Phiếu kín: hệ thống chỉ ghi nhận bạn đã bỏ phiếu, không lưu bạn chọn gì. Mỗi thành viên gửi phiếu một lần.'),
        h('div', { class: 'actions' }, btn), box);
      form.addEventListener('change', (e) => {
        if (e.target.type === 'radio') markExceptions();
      });
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const marks = {};
        for (const inp of form.querySelectorAll('input[type=radio]:checked')) marks[inp.dataset.proposal] = inp.value;
        if (allYes.checked) {
          // Every row is marked: only the exceptions travel, with "all".
          const exceptions = Object.fromEntries(Object.entries(marks).filter(([, v]) => v !== 'yes'));
          const label = (v) => (choices(s).find(([c]) => c === v) || [v, v])[1];
          const ex = (s.agenda || []).filter((it) => exceptions[it.proposal_id]);
          const ok = await confirmAction({
            id: 'ballot-confirm', title: 'Gửi phiếu bầu?', titleEn: 'Cast this ballot?', confirm: 'Gửi phiếu',
            body: [h('p', { id: 'ballot-confirm-all' }, `Phiếu đã gửi không sửa được. Bạn đồng ý tất cả ${(s.agenda || []).length} hồ sơ`,
              ex.length ? `, trừ ${ex.length} hồ sơ ngoại lệ:` : ', không có ngoại lệ.'),
            ex.length ? h('ul', { id: 'ballot-confirm-exceptions' }, ex.map((it) => h('li', {},
              h('strong', {}, it.nominee_name), ` (${it.award_type_label}): ${label(exceptions[it.proposal_id])}`))) : null],
          });
          if (!ok || !ctx.alive()) return;
          const out = await runAction(btn, box, () => post(`/api/v1/sessions/${enc(s.id)}/ballot`, { all: 'yes', marks: exceptions }, { idem: key }));
          if (out && ctx.alive()) {
            flash = ['Đã ghi nhận phiếu của bạn.', 'Your ballot was recorded.'];
            draw(await get(`/api/v1/sessions/${enc(s.id)}`));
          }
          return;
        }
        // An unmarked row is left out: the server says which proposal is missing (and
        // records nothing). A complete ballot is final: confirm it with its marks.
        if (Object.keys(marks).length === (s.agenda || []).length) {
          const label = (v) => (choices(s).find(([c]) => c === v) || [v, v])[1];
          const ok = await confirmAction({
            id: 'ballot-confirm', title: 'Gửi phiếu bầu?', titleEn: 'Cast this ballot?', confirm: 'Gửi phiếu',
            body: [h('p', {}, 'Phiếu đã gửi không sửa được. Ý kiến của bạn:'),
              h('ul', { id: 'ballot-confirm-marks' }, (s.agenda || []).map((it) => h('li', {},
                h('strong', {}, it.nominee_name), ` (${it.award_type_label}): ${label(marks[it.proposal_id])}`)))],
          });
          if (!ok || !ctx.alive()) return;
        }
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
        const { voters, need } = quorumOf(s);
        const cast = (s.voted || []).length;
        const ok = await confirmAction({
          id: 'close-confirm', title: 'Kết thúc bỏ phiếu?', titleEn: 'Close voting?', confirm: 'Kết thúc bỏ phiếu', danger: true,
          body: [
            h('p', { id: 'close-confirm-count' }, `Đã có ${cast}/${voters} phiếu; cần tối thiểu ${need} thành viên tham gia bỏ phiếu (quy chế).`),
            cast < need
              ? h('p', { class: 'msg error', id: 'close-confirm-below-quorum' },
                'Chưa đủ số thành viên: phiếu sẽ không được mở, không kiểm phiếu; phiên họp kết thúc “không đủ số thành viên” và các hồ sơ chờ phiên họp sau.')
              : h('p', {}, 'Sau khi kết thúc, hệ thống kiểm phiếu, lập biên bản và dự thảo quyết định trình người có thẩm quyền ký duyệt.'),
            h('p', {}, 'Không bỏ phiếu thêm được nữa.')],
        });
        if (!ok || !ctx.alive()) return;
        const next = await runAction(btn, box, () => post(`/api/v1/sessions/${enc(s.id)}/close`, undefined, { idem: newKey() }));
        if (next && ctx.alive()) {
          flash = ['Đã kết thúc bỏ phiếu.', 'Voting closed.'];
          draw(next);
        }
      });
      parts.push(h('div', { class: 'close-row' },
        h('p', { class: 'hint' }, `Đã có ${(s.voted || []).length}/${(s.members || []).filter((m) => m.votes).length} thành viên bỏ phiếu. `,
          'Sau khi kết thúc, hệ thống kiểm phiếu, lập biên bản và dự thảo quyết định; không bỏ phiếu thêm được nữa.'),
        btn, box));
    }
    if (!parts.length) return null;
    return h('section', { class: 'card action-card', 'aria-labelledby': 'vote-h' },
      h('h2', { id: 'vote-h' }, 'Bỏ phiếu ', en('Vote')), parts);
  };

  // A document could not be issued: say why, name the proposal at fault, and give the
  // secretary the way out (exclude it, or retry once the cause is put right).
  const failure = (s) => {
    const f = s.failure || {};
    const box = msgBox('failure-action-error');
    const nameOf = (pid) => (s.agenda || []).find((it) => it.proposal_id === pid)?.nominee_name || pid;
    const actions = [];
    if (isSecretary) {
      (f.proposal_ids || []).forEach((pid, i) => {
        const btn = h('button', { type: 'button', class: 'danger', id: `exclude-${i}`, dataset: { proposal: pid } },
          `Loại “${nameOf(pid)}” khỏi phiên họp`);
        btn.addEventListener('click', async () => {
          const ok = await confirmAction({
            id: 'exclude-confirm', title: 'Loại hồ sơ khỏi phiên họp?', titleEn: 'Exclude the proposal?', confirm: 'Loại khỏi phiên họp', danger: true,
            body: h('p', {}, `Hồ sơ của ${nameOf(pid)} được trả về chờ Hội đồng xét ở phiên họp sau; phiếu bầu cho hồ sơ này không được dùng. Các văn bản còn lại được lập tiếp.`),
            reason: { label: 'Lý do (ghi vào lịch sử hồ sơ)', value: 'Không lập được văn bản: ' + (f.message || '') },
          });
          if (!ok || !ctx.alive()) return;
          const next = await runAction(btn, box, () => post(`/api/v1/sessions/${enc(s.id)}/exclude`,
            { proposal_id: pid, reason: ok.reason }, { idem: newKey() }));
          if (next && ctx.alive()) {
            flash = ['Đã loại hồ sơ khỏi phiên họp; đang lập tiếp văn bản.', 'Proposal excluded; issuing resumes.'];
            draw(next);
          }
        });
        actions.push(btn);
      });
      const retry = h('button', { type: 'button', id: 'retry-issue-btn' }, 'Lập lại văn bản');
      retry.addEventListener('click', async () => {
        const next = await runAction(retry, box, () => post(`/api/v1/sessions/${enc(s.id)}/retry-issue`, undefined, { idem: newKey() }));
        if (next && ctx.alive()) {
          flash = ['Đang lập lại văn bản.', 'Issuing again.'];
          draw(next);
        }
      });
      actions.push(retry);
    }
    return h('section', { class: 'card failure-card', id: 'failure', 'aria-labelledby': 'failure-h' },
      h('h2', { id: 'failure-h' }, 'Lập văn bản không thành công ', en('Documents failed')),
      h('div', { class: 'msg error', role: 'alert', id: 'failure-reason' },
        h('span', { class: 'msg-text' }, f.message || ''), f.message_en ? en(f.message_en) : null),
      (f.proposal_ids || []).length ? h('p', {}, 'Hồ sơ gây lỗi: ',
        f.proposal_ids.map((pid, i) => [i ? ', ' : '', h('a', { href: `#/proposals/${pid}` }, nameOf(pid))])) : null,
      isSecretary
        ? h('p', { class: 'hint' }, f.retryable
          ? 'Sự cố hệ thống: khi đã khắc phục, bấm “Lập lại văn bản”.'
          : 'Loại hồ sơ gây lỗi khỏi phiên họp để lập tiếp các văn bản, hoặc sửa nguyên nhân rồi bấm “Lập lại văn bản”.')
        : h('p', { class: 'hint' }, 'Thư ký Hội đồng đang xử lý.'),
      actions.length ? h('div', { class: 'actions' }, actions) : null, box);
  };

  // The public posting of the list the council passed: its window, the objections, and
  // for the secretary (award.CanPost) the button that starts it.
  const posting = (s) => {
    const rule = (o.agency || {}).posting || {};
    const p = extra.posting;
    if (!p && !(rule.days > 0)) return null;
    const parts = [];
    if (p) {
      parts.push(h('p', { id: 'posting-window', class: p.open ? 'msg ok' : '' },
        p.open ? `Đang công khai từ ${fmtTime(p.starts_at)} đến hết ngày ${p.last_day}. Trong thời gian này chưa ký duyệt quyết định.`
          : `Đã công khai từ ${fmtTime(p.starts_at)} đến hết ngày ${p.last_day}.`));
      parts.push(h('p', { class: 'hint' }, `${(p.items || []).length} trường hợp được công khai; ${extra.objections.length} phản ánh. `,
        'Mọi người xem và gửi phản ánh tại trang ', h('a', { href: '#/postings' }, 'Công khai'), '.'));
      if (extra.objections.length) parts.push(objectionList(s, extra.objections, 'posting-objections'));
    } else if (isSecretary && s.status === 'deciding') {
      const btn = h('button', { type: 'button', class: 'primary', id: 'posting-start' }, `Công khai danh sách ${rule.days} ngày làm việc`);
      const box = msgBox('posting-error');
      btn.addEventListener('click', async () => {
        const passed = (s.agenda || []).filter((it) => ((s.results || {})[it.proposal_id] || {}).passed);
        const ok = await confirmAction({
          id: 'posting-confirm', title: 'Công khai danh sách?', titleEn: 'Post the list?', confirm: 'Công khai danh sách',
          body: [h('p', {}, `Danh sách ${passed.length} trường hợp Hội đồng đề nghị được công khai cho mọi người trong cơ quan trong ${rule.days} ngày làm việc`,
            rule.citation ? ` (${rule.citation})` : '', '. Trong thời gian công khai, mọi người gửi được phản ánh; người ký chưa ký duyệt được quyết định.'),
          h('ul', {}, passed.map((it) => h('li', {}, `${it.nominee_name} — ${it.award_type_label}`)))],
        });
        if (!ok || !ctx.alive()) return;
        const p2 = await runAction(btn, box, () => post(`/api/v1/sessions/${enc(s.id)}/posting`, undefined, { idem: newKey() }));
        if (p2 && ctx.alive()) {
          extra = { posting: p2, objections: [] };
          flash = [`Đã công khai danh sách đến hết ngày ${p2.last_day}.`, 'The list is posted.'];
          draw(await get(`/api/v1/sessions/${enc(s.id)}`));
        }
      });
      parts.push(h('p', { class: 'hint' }, `Chưa công khai. Trước khi ký quyết định, có thể công khai danh sách ${rule.days} ngày làm việc để mọi người phản ánh`,
        rule.required ? ' (bắt buộc theo quy chế).' : '.'), h('div', { class: 'actions' }, btn), box);
    } else {
      parts.push(h('p', { class: 'hint', id: 'posting-window' }, 'Danh sách chưa được công khai.'));
    }
    return h('section', { class: 'card', id: 'posting', 'aria-labelledby': 'posting-h' },
      h('h2', { id: 'posting-h' }, 'Công khai danh sách ', en('Public posting')), parts);
  };

  const notQuorate = (s) => {
    const { voters } = quorumOf(s);
    return h('section', { class: 'card', id: 'not-quorate', 'aria-labelledby': 'nq-h' },
      h('h2', { id: 'nq-h' }, 'Không đủ số thành viên ', en('Not quorate')),
      h('p', {}, `Có ${(s.voted || []).length}/${voters} thành viên tham gia bỏ phiếu, chưa đạt tỷ lệ theo quy chế. `,
        'Phiếu không được mở, không kiểm phiếu; các hồ sơ được chuyển sang phiên họp sau. Biên bản ghi lại cuộc họp, không có số phiếu.'));
  };

  const results = (s) => {
    // Each cell carries its column's name (dom.js labelTables): on a phone the rows
    // become cards and the numbers still say what they count.
    const rows = (s.agenda || []).map((it) => {
      const c = (s.counts || {})[it.proposal_id] || {};
      const r = (s.results || {})[it.proposal_id] || {};
      return h('tr', {},
        h('td', {}, h('a', { href: `#/proposals/${it.proposal_id}` }, it.nominee_name),
          it.case_number ? h('span', { class: 'case-number' }, it.case_number) : null),
        h('td', {}, it.award_type_label),
        choices(s).map(([code]) => h('td', {}, String(c[code] ?? '—'))),
        h('td', {}, h('strong', { class: r.passed ? 'pass' : 'fail' },
          r.passed ? 'Đạt' : r.revote ? 'Bỏ phiếu lại' : 'Không đạt')),
        h('td', {}, r.reason || ''));
    });
    // Sessions counted since quotas count the year say how each quota was worked out
    // (the register's figures, this session's, the rounding, the seats, the ties), in
    // Vietnamese and English; older ones only how many were cut.
    const groups = Object.values(s.quota || {}).flatMap((q) => q.groups || []);
    const quota = Object.entries(s.quota || {}).filter(([, q]) => !(q.groups || []).length && (q.dropped || []).length);
    return h('section', { class: 'card', 'aria-labelledby': 'res-h' },
      h('h2', { id: 'res-h' }, 'Kết quả kiểm phiếu ', en('Results')),
      table(null, ['Người / tập thể', 'Hình thức', ...choices(s).map(([, label]) => label), 'Kết quả', 'Lý do'], rows, { class: 'list', id: 'results-table' }),
      s.invalid_ballots ? h('p', { class: 'hint' }, `Phiếu không hợp lệ: ${s.invalid_ballots}.`) : null,
      groups.map((g) => h('p', { class: 'hint quota-facts' }, g.text, ' ', en(g.text_en))),
      quota.map(([code, q]) => h('p', { class: 'hint' },
        `${awardName(code)}: áp dụng tỷ lệ tối đa ${q.limit} người; ${q.dropped.length} hồ sơ đạt số phiếu nhưng vượt tỷ lệ.`)));
  };

  const documents = (s) => {
    const box = msgBox('docs-error');
    // Each signed PDF opens below the list, with the verify API's panel beside it.
    const area = previewArea(previews, 'documents', 'documents-preview', box, ctx.alive);
    const shownFiles = [];
    const shownBtns = [];
    const item = (label, path, name, idAttr, pdf = true) => {
      const btn = h('button', { type: 'button', class: 'link-button', id: idAttr }, 'Tải về');
      btn.addEventListener('click', () => runAction(btn, box, () => download(path, name)));
      let view = null;
      if (pdf) {
        const what = label.charAt(0).toLowerCase() + label.slice(1);
        const f = { path, name, what, title: `Bản xem: ${label}`, want: 'pdf', verify: true };
        view = previewButton(area, f, 'Xem', {
          class: 'link-button', id: idAttr ? idAttr.replace(/-download$/, '-preview') : null, 'aria-label': `Xem ${label}`,
        });
        shownFiles.push(f);
        shownBtns.push(view);
      }
      return h('li', {}, h('span', {}, label), ' ', view, view ? ' ' : null, btn);
    };
    const list = [];
    for (const d of s.decisions || []) {
      list.push(item(`Quyết định ${d.number_text} — ${awardName(d.award_type)}`, `/api/v1/decisions/${enc(d.id)}/pdf`, `${d.id}.pdf`, null));
    }
    for (const d of s.submissions || []) {
      list.push(item(`Tờ trình ${d.number_text} — ${awardName(d.award_type)}`, `/api/v1/decisions/${enc(d.id)}/pdf`, `${d.id}.pdf`, null));
    }
    if (s.council_submission) {
      list.push(item(`Tờ trình của Hội đồng ${s.council_submission.number_text}`, `/api/v1/sessions/${enc(s.id)}/council-submission.pdf`,
        'to-trinh-hoi-dong.pdf', 'council-submission-download'));
    }
    if (s.minutes) {
      list.push(item(`Biên bản họp và kiểm phiếu ${s.minutes.number_text}`, `/api/v1/sessions/${enc(s.id)}/minutes.pdf`, 'bien-ban.pdf', 'minutes-download'));
    }
    if (mayExport && s.status !== 'deciding') { // the ZIP holds the issued documents: once all are issued
      list.push(item('Toàn bộ văn bản của phiên họp (ZIP, kèm manifest.json và chứng thư ký số)',
        `/api/v1/sessions/${enc(s.id)}/export.zip`, `phien-hop-${s.id}.zip`, 'export-download', false));
    }
    const someStillDrafts = s.status === 'deciding';
    return h('section', { class: 'card', 'aria-labelledby': 'docs-h' },
      h('h2', { id: 'docs-h' }, someStillDrafts ? 'Văn bản đã phát hành ' : 'Văn bản đã ký số ', en('Signed documents')),
      h('ul', { class: 'docs', id: 'documents' }, list), box, area.restore(shownFiles, shownBtns),
      h('p', { class: 'hint' }, 'Kiểm tra chữ ký của một tệp tại trang ', h('a', { href: '#/verify' }, 'Kiểm tra văn bản'), '.'));
  };

  const agenda = (s) => h('section', { class: 'card', 'aria-labelledby': 'agenda-h' },
    h('h2', { id: 'agenda-h' }, 'Hồ sơ trong phiên họp ', en('Agenda')),
    table(null, ['Người / tập thể', 'Đối tượng', 'Hình thức', 'Phòng'], (s.agenda || []).map((it) => [
      [h('a', { href: `#/proposals/${it.proposal_id}` }, it.nominee_name), it.case_number ? h('span', { class: 'case-number' }, it.case_number) : null],
      it.kind_label, it.award_type_label, it.department_label,
    ]), { class: 'list' }),
    (s.excluded || []).length ? h('div', { id: 'excluded' },
      h('h3', {}, 'Hồ sơ đã loại khỏi phiên họp'),
      h('ul', {}, s.excluded.map((x) => h('li', {}, h('a', { href: `#/proposals/${x.proposal_id}` }, x.nominee_name),
        ` — ${x.reason} (${x.by}, `, timeEl(x.at), ')')))) : null,
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
