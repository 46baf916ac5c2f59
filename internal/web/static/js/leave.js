// Unsaved edits: leaving the page asks first. A hash change (a link, the menu, Back) is
// stopped before the router sees it and a dialog in the page asks; closing or reloading
// the tab gets the browser's own question (beforeunload).
//
// Listeners on window run in the order they were added, whatever their phase, so this
// module adds its hashchange listener when it is evaluated: it is imported (through the
// pages) by app.js, and ES modules run their imports first, so it always runs before the
// router's own listener and can stop it (stopImmediatePropagation).

import { currentSession } from './api.js';
import { confirmAction } from './confirm.js';
import { h } from './dom.js';

let guard = null; // the page's hashchange handler while it guards, else null

window.addEventListener('hashchange', (e) => {
  if (guard) guard(e);
});

/**
 * guardLeave asks before leaving while dirty() is true. ctx is the page's (the guard
 * goes when the page does).
 */
export function guardLeave(ctx, dirty) {
  const here = location.hash;
  let asking = false;
  let released = false;
  const onHash = async (e) => {
    // Signed out (the button, or an expired token): nothing could be saved any more.
    if (released || location.hash === here || !currentSession() || !dirty()) return;
    const target = location.hash;
    e.stopImmediatePropagation();
    // Back to this page's address without a new history entry or another hashchange.
    history.replaceState(history.state, '', here);
    if (asking) return;
    asking = true;
    const leave = await confirmAction({
      id: 'leave-dialog',
      title: 'Rời trang khi còn thay đổi chưa lưu?',
      titleEn: 'Leave with unsaved changes?',
      danger: true,
      confirm: 'Rời trang, bỏ thay đổi',
      cancel: 'Ở lại trang',
      body: [h('p', {}, 'Trang này còn thay đổi chưa lưu (tự đánh giá, ghi chú, thông tin hồ sơ) hoặc tệp đang tải lên. ',
        'Nếu rời trang, những thay đổi đó sẽ mất. Chọn “Ở lại trang” rồi bấm nút lưu.')],
    });
    asking = false;
    if (leave && ctx.alive()) {
      released = true;
      location.hash = target;
    }
  };
  const onUnload = (e) => {
    if (!released && dirty()) {
      e.preventDefault();
      e.returnValue = ''; // older browsers ask only when this is set
    }
  };
  guard = onHash;
  window.addEventListener('beforeunload', onUnload);
  ctx.onLeave(() => {
    if (guard === onHash) guard = null;
    window.removeEventListener('beforeunload', onUnload);
  });
}
