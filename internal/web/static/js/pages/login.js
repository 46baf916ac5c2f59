import { currentSession, post, saveSession } from '../api.js';
import {
  en, field, h, mount, msgBox, runAction, showError, showOk,
} from '../dom.js';

export async function render(root, _params, ctx) {
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password' });
  const btn = h('button', { type: 'submit', class: 'primary', id: 'login-btn' }, 'Đăng nhập');
  const box = msgBox('login-error');
  const form = h('form', { id: 'login-form', class: 'card narrow', novalidate: true },
    field(['Tên đăng nhập ', en('Username')], user),
    field(['Mật khẩu ', en('Password')], pass),
    h('div', { class: 'actions' }, btn),
    box);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = await runAction(btn, box, () => post('/api/v1/login',
      { username: user.value.trim(), password: pass.value }, { auth: false }));
    if (!out || !ctx.alive()) return;
    saveSession({ token: out.token, expires_at: out.expires_at, user: out.user });
    const next = sessionStorage.getItem('awardflow.next') || '/';
    sessionStorage.removeItem('awardflow.next');
    ctx.go(next);
  });

  const s = currentSession();
  mount(root, 
    h('div', { class: 'login-wrap' },
      h('h1', {}, 'Đăng nhập ', en('Sign in')),
      h('p', { class: 'lead' }, 'Hệ thống quản lý hồ sơ thi đua, khen thưởng: lập hồ sơ, xác nhận, bỏ phiếu và quyết định ký số.'),
      s ? h('p', { class: 'msg ok' }, `Bạn đang đăng nhập với tên ${s.user.name}. `, h('a', { href: '#/' }, 'Về trang chủ')) : null,
      form,
      h('p', { class: 'muted center' }, 'Cần kiểm tra một văn bản đã ký? ', h('a', { href: '#/verify' }, 'Kiểm tra văn bản'),
        ' ', en('Verify a signed document (no sign-in needed)'))));
  // Why the page is shown: an expired or refused sign-in (an error), or a page that
  // needs one (a note).
  if (ctx.reason && ctx.reason.info) showOk(box, ctx.reason.message, ctx.reason.messageEn);
  else if (ctx.reason) showError(box, ctx.reason);
  user.focus();
}
