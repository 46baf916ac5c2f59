import { download, get } from '../api.js';
import {
  en, field, h, mount, msgBox, runAction, showError,
} from '../dom.js';

// The yearly statistics of awards, from the register: a table of award forms × units
// (number and money), a bar chart of the numbers, and the XLSX / CSV downloads.

const money = (n) => `${new Intl.NumberFormat('vi-VN').format(n)} đ`;
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

// A horizontal bar per award form and kind: the number of awardees. Drawn as SVG
// elements (no inline script or style: the page's CSP holds), labelled for readers.
function chart(st) {
  const rows = st.rows || [];
  if (!rows.length) return null;
  const max = Math.max(...rows.map((r) => r.total.count), 1);
  const rowH = 34;
  const labelW = 260;
  const barW = 360;
  const height = rows.length * rowH + 10;
  const g = rows.map((r, i) => {
    const w = Math.max(2, Math.round((r.total.count / max) * barW));
    const y = i * rowH + 6;
    return svg('g', {},
      svg('text', { x: labelW - 8, y: y + 17, 'text-anchor': 'end', class: 'chart-label' }, `${r.award_type_label} (${r.kind_label.toLowerCase()})`),
      svg('rect', { x: labelW, y, width: w, height: rowH - 12, class: 'chart-bar', rx: 3 }),
      svg('text', { x: labelW + w + 6, y: y + 17, class: 'chart-value' }, String(r.total.count)));
  });
  return svg('svg', {
    viewBox: `0 0 ${labelW + barW + 60} ${height}`, role: 'img', class: 'chart', id: 'stats-chart',
    'aria-label': `Số người, tập thể được khen thưởng năm ${st.year} theo hình thức`,
  }, svg('title', {}, `Số được khen thưởng năm ${st.year}`), ...g);
}

// Each movement's participation: per unit, the registrations in force, the proposals of
// the year naming the movement and the awardees of the year's decisions in force.
function movementsTable(st) {
  const list = st.movements || [];
  if (!list.length) return null;
  const n = (label, v) => h('td', { class: 'num', 'data-label': label }, String(v));
  const line = (label, p, cls, unitId) => h('tr', { class: cls || '' },
    h('td', { class: 'form' }, unitId ? h('a', { href: `#/units/${encodeURIComponent(unitId)}/awards` }, label) : label),
    n('Đăng ký thi đua', p.registered), n('Được đề nghị', p.proposed), n('Được khen thưởng', p.awarded));
  const body = [];
  for (const m of list) {
    body.push(h('tr', { class: 'group', dataset: { movement: m.id } },
      h('th', { scope: 'rowgroup', colspan: '4' }, m.name, m.period_label ? h('span', { class: 'sub' }, ` (${m.period_label})`) : null)));
    if (!m.units.length) body.push(h('tr', {}, h('td', { colspan: '4', class: 'empty' }, 'Chưa có đăng ký, đề nghị hay khen thưởng nào.')));
    for (const u of m.units) body.push(line(u.label, u, '', u.id));
    body.push(line('Cộng phong trào', m.total, 'total'));
  }
  return h('section', { id: 'stats-movements' },
    h('h2', {}, 'Tham gia phong trào thi đua ', en('movement participation')),
    h('p', { class: 'hint' }, 'Đăng ký: các bản đăng ký còn hiệu lực của cả phong trào; đề nghị: hồ sơ năm đang chọn nêu phong trào (không tính bản nháp); khen thưởng: người, tập thể được khen thưởng năm đang chọn theo hồ sơ nêu phong trào.'),
    h('table', { class: 'stats', id: 'stats-movements-table' },
      h('thead', {}, h('tr', {}, ['Phong trào, đơn vị', 'Đăng ký thi đua', 'Được đề nghị', 'Được khen thưởng']
        .map((x, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, x)))),
      h('tbody', {}, body)));
}

function statsTable(st) {
  const units = st.units || [];
  const unitHead = (u) => (u.id ? h('a', { href: `#/units/${encodeURIComponent(u.id)}/awards` }, u.label) : u.label);
  const headers = ['Hình thức khen thưởng', 'Đối tượng', ...units.map(unitHead), 'Tổng cộng'];
  const cell = (c) => (c && c.count ? h('span', {}, String(c.count), h('br'), h('span', { class: 'sub' }, money(c.amount))) : '—');
  // Each number says which column it is (data-label): on a phone the rows become cards.
  const num = (label, c) => h('td', { class: 'num', 'data-label': label }, cell(c));
  const rows = (st.rows || []).map((r) => h('tr', {},
    h('td', { class: 'form' }, r.award_type_label),
    h('td', { class: 'kind', 'data-label': 'Đối tượng' }, r.kind_label),
    ...units.map((u) => num(u.label, r.by_unit[u.id])),
    num('Tổng cộng', r.total)));
  rows.push(h('tr', { class: 'total' }, h('th', { scope: 'row', colspan: '2' }, 'Tổng cộng'),
    ...units.map((u) => num(u.label, st.by_unit[u.id])), num('Tổng cộng', st.total)));
  const caption = h('span', {}, `Năm ${st.year}: số lượng và tiền thưởng `, en('count and bonus'));
  return h('table', { class: 'stats', id: 'stats-table' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((x, i) => h('th', { scope: 'col', class: i < 2 ? '' : 'num' }, x)))),
    h('tbody', {}, rows));
}

export async function render(root, _params, ctx) {
  const now = new Date().getFullYear();
  const year = h('select', { id: 'stats-year' },
    Array.from({ length: 6 }, (_, i) => now - i).map((y) => h('option', { value: String(y) }, String(y))));
  const out = h('div', { id: 'stats-out' });
  const box = msgBox('stats-error');
  const xlsx = h('button', { type: 'button', id: 'stats-xlsx' }, 'Tải XLSX');
  const csv = h('button', { type: 'button', id: 'stats-csv' }, 'Tải CSV');
  const csvMovements = h('button', { type: 'button', id: 'stats-csv-movements' }, 'Tải CSV phong trào');
  let loads = 0;
  async function load() {
    // Only the latest load shows: a year chosen while the first one runs wins.
    loads += 1;
    const mine = loads;
    out.replaceChildren(h('p', { class: 'muted' }, 'Đang tải…'));
    try {
      const st = await get(`/api/v1/statistics?year=${year.value}`);
      if (!ctx.alive() || mine !== loads) return;
      const parts = [];
      if (!(st.rows || []).length) {
        parts.push(h('p', { class: 'empty', id: 'stats-empty' }, `Chưa có quyết định khen thưởng nào cho năm ${st.year}.`));
      } else {
        parts.push(h('p', { id: 'stats-total' }, `Tổng cộng ${st.total.count} lượt khen thưởng, tiền thưởng ${money(st.total.amount)}.`));
        parts.push(chart(st), statsTable(st));
      }
      parts.push(movementsTable(st));
      out.replaceChildren(...parts.filter(Boolean));
    } catch (err) {
      if (mine !== loads) return;
      out.replaceChildren();
      showError(box, err);
    }
  }
  year.addEventListener('change', load);
  xlsx.addEventListener('click', () => runAction(xlsx, box, () => download(`/api/v1/statistics/export?year=${year.value}&format=xlsx`, `thong-ke-khen-thuong-${year.value}.xlsx`)));
  csv.addEventListener('click', () => runAction(csv, box, () => download(`/api/v1/statistics/export?year=${year.value}&format=csv`, `thong-ke-khen-thuong-${year.value}.csv`)));
  csvMovements.addEventListener('click', () => runAction(csvMovements, box, () => download(`/api/v1/statistics/export?year=${year.value}&format=csv&table=movements`, `thong-ke-phong-trao-${year.value}.csv`)));
  mount(root,
    h('h1', { tabindex: '-1' }, 'Thống kê khen thưởng ', en('Award statistics')),
    h('p', { class: 'muted' }, 'Từ sổ khen thưởng: các quyết định còn hiệu lực (không tính quyết định đã thu hồi và tờ trình cấp trên).'),
    h('div', { class: 'toolbar' }, field(['Năm ', en('Year')], year), xlsx, csv, csvMovements),
    box, out);
  await load();
}
