import {
  currentSession, get, post, saveSession,
} from '../api.js';
import {
  en, field, h, mount, msgBox, runAction, showError, showOk,
} from '../dom.js';

const NEXT_KEY = 'awardflow.next';

// Signed in (by a password or by single sign-on): keep the session and open the page the
// person was going to (a deep link), else the home page.
function finish(ctx, out, next) {
  saveSession({ token: out.token, expires_at: out.expires_at, user: out.user });
  const to = next || sessionStorage.getItem(NEXT_KEY) || '/';
  sessionStorage.removeItem(NEXT_KEY);
  ctx.go(to);
}

export async function render(root, _params, ctx) {
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password' });
  const btn = h('button', { type: 'submit', class: 'primary', id: 'login-btn' }, 'Đăng nhập');
  const box = msgBox('login-error');
  const form = h('form', { id: 'login-form', class: 'card narrow', novalidate: true },
    field(['Tên đăng nhập ', en('Username')], user),
    field(['Mật khẩu ', en('Password')], pass),
    h('div', { class: 'actions' }, btn));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = await runAction(btn, box, () => post('/api/v1/login',
      { username: user.value.trim(), password: pass.value }, { auth: false }));
    if (!out || !ctx.alive()) return;
    finish(ctx, out);
  });

  // Which ways to sign in are on. Unknown (the server unreachable): the password form.
  let methods = { password: true, sso: false };
  try {
    methods = await get('/api/v1/login/methods', { auth: false });
  } catch {
    // keep the default
  }
  if (!ctx.alive()) return;
  // Single sign-on: the server sends the browser to the provider and back; the page to
  // return to travels with it (and stays in this tab's sessionStorage too).
  const next = sessionStorage.getItem(NEXT_KEY) || '/';
  const sso = methods.sso
    ? h('div', { class: 'card narrow sso' },
      h('a', { class: 'button primary', id: 'sso-btn', href: `/auth/oidc/start?next=${encodeURIComponent(next)}` },
        'Đăng nhập bằng tài khoản một cửa (SSO)'),
      h('p', { class: 'muted' }, en('Sign in with the single sign-on account')))
    : null;
  // The message box sits in the form (after its button), or under the single sign-on
  // button when passwords are off.
  if (methods.password) form.append(box);
  else if (sso) sso.append(box);
  const s = currentSession();
  mount(root,
    h('div', { class: 'login-wrap' },
      h('h1', {}, 'Đăng nhập ', en('Sign in')),
      h('p', { class: 'lead' }, 'Hệ thống quản lý hồ sơ thi đua, khen thưởng: lập hồ sơ, xác nhận, bỏ phiếu và quyết định ký số.'),
      s ? h('p', { class: 'msg ok' }, `Bạn đang đăng nhập với tên ${s.user.name}. `, h('a', { href: '#/' }, 'Về trang chủ')) : null,
      sso,
      methods.password ? form : null,
      h('p', { class: 'muted center' }, 'Cần kiểm tra một văn bản đã ký? ', h('a', { href: '#/verify' }, 'Kiểm tra văn bản'),
        ' ', en('Verify a signed document (no sign-in needed)'))));
  // Why the page is shown: an expired or refused sign-in (an error), or a page that
  // needs one (a note).
  if (ctx.reason && ctx.reason.info) showOk(box, ctx.reason.message, ctx.reason.messageEn);
  else if (ctx.reason) showError(box, ctx.reason);
  if (ctx.query && ctx.query.get('sso')) {
    // Back from the provider: the outcome waits in an HttpOnly cookie that only this call
    // reads (once); the answer is a token, as for a password, or the refusal's message.
    box.hidden = true;
    try {
      const out = await post('/api/v1/login/oidc', undefined, { auth: false, cookies: true });
      if (!ctx.alive()) return;
      finish(ctx, out, out.next);
      return;
    } catch (err) {
      if (!ctx.alive()) return;
      showError(box, err);
    }
  }
  if (methods.password) user.focus();
  else if (sso) sso.querySelector('a').focus();
}
