// Confirmation before an irreversible action: a modal <dialog> in the page (not
// window.confirm, which scripts and headless browsers cannot read or drive, and which
// cannot say what will happen in the page's own words).

import { en, h } from './dom.js';

/**
 * confirmAction shows a modal dialog and resolves true when the person confirms, false
 * when they cancel (button, Escape or closing the dialog). Nothing is sent before that.
 * opts: {id, title, body: [nodes or text], confirm, cancel, danger, reason}
 * With reason ({label, value, missing}) the dialog also asks for a text that must not be
 * empty (missing: the message when it is), and resolves to {reason} (truthy) instead of
 * true. With validate (a function returning an error message, or '' when all is well) the
 * dialog stays open and shows the message until the person puts it right.
 */
export function confirmAction(opts) {
  return new Promise((resolve) => {
    const titleId = `${opts.id}-title`;
    const ok = h('button', { type: 'button', class: opts.danger ? 'danger' : 'primary', id: `${opts.id}-confirm` }, opts.confirm);
    const cancel = h('button', { type: 'button', id: `${opts.id}-cancel` }, opts.cancel || 'Huỷ');
    const input = opts.reason ? h('textarea', {
      id: `${opts.id}-reason`, rows: 3, maxlength: 1000, required: true, 'aria-describedby': `${opts.id}-error`,
    }) : null;
    if (input && opts.reason.value) input.value = opts.reason.value;
    const err = h('p', { class: 'msg error', id: `${opts.id}-error`, role: 'alert', hidden: true });
    const dlg = h('dialog', { id: opts.id, class: 'confirm', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, opts.title, opts.titleEn ? [' ', en(opts.titleEn)] : null),
      h('div', { class: 'confirm-body' }, opts.body),
      input ? h('div', { class: 'field' }, h('label', { for: input.id }, opts.reason.label), input) : null,
      err,
      h('div', { class: 'action-row' }, cancel, ok));
    // The message about what to put right goes once the person changes something.
    const clear = () => {
      err.hidden = true;
    };
    dlg.addEventListener('input', clear);
    dlg.addEventListener('change', clear);
    let answer = false;
    ok.addEventListener('click', () => {
      const problem = opts.validate ? opts.validate() : '';
      if (problem) {
        err.textContent = problem;
        err.hidden = false;
        return;
      }
      if (input && !input.value.trim()) {
        err.textContent = opts.reason.missing || 'Cần ghi lý do.';
        err.hidden = false;
        input.focus();
        return;
      }
      answer = input ? { reason: input.value.trim() } : true;
      dlg.close();
    });
    cancel.addEventListener('click', () => dlg.close());
    // Tab stays in the dialog: from its last control back to its first, and the other
    // way with Shift+Tab (the browser would otherwise leave the page for its own bar).
    dlg.addEventListener('keydown', (e) => {
      if (e.key !== 'Tab') return;
      const stops = [...dlg.querySelectorAll('button, textarea, input, select, a[href]')].filter((x) => !x.disabled && !x.closest('[hidden]'));
      if (stops.length === 0) return;
      const first = stops[0];
      const last = stops[stops.length - 1];
      if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      } else if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      }
    });
    // The focus goes back where it was (the button that opened the dialog) once the
    // dialog closes, whichever way: keyboard users carry on from there.
    const opener = document.activeElement;
    dlg.addEventListener('close', () => {
      dlg.remove();
      if (opener && opener !== document.body && opener.isConnected && !dlg.contains(opener)) opener.focus();
      resolve(answer);
    });
    document.body.append(dlg);
    dlg.showModal();
    cancel.focus(); // the safe choice has the focus: Enter does not reject by accident
  });
}
