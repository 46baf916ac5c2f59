package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/orgconfig"
)

// setValue sets a form control's value as a person would (input and change events).
func (p *page) setValue(sel, v string) {
	p.t.Helper()
	// The value goes in the function's text: an empty polling argument arrives as
	// undefined.
	js, err := json.Marshal(v)
	if err != nil {
		p.t.Fatal(err)
	}
	p.poll("to set "+sel, `(sel) => {
		const e = document.querySelector(sel);
		if (!e || e.disabled) return "";
		e.value = `+string(js)+`;
		e.dispatchEvent(new Event("input", {bubbles: true}));
		e.dispatchEvent(new Event("change", {bubbles: true}));
		return e.value === `+string(js)+` ? "set" : ""; }`, sel)
}

// rowsShown lists the data-id of the rows of a table.
func (p *page) rowsShown(table string) []string {
	p.t.Helper()
	return eval[[]string](p, "read the rows of "+table, `[...document.querySelectorAll("`+table+` tbody tr")].map(r => r.dataset.id)`)
}

// canSignIn reports whether the API lets user sign in with password.
func canSignIn(t *testing.T, base, user, password string) bool {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, err := (&http.Client{Timeout: time.Minute}).Post(base+"/api/v1/login", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// TestBrowserAdmin: the admin pages over the directory. Staff neither see the menu entry
// nor get the page (the API's refusal is shown). The admin filters the people, adds a
// person (a missing name is refused in Vietnamese next to the form), gives them a second
// role, moves them to another unit from a date, and reads each change in their history;
// the server's refusals — deactivating the last văn thư, dropping one's own admin role,
// closing a unit people still work in — show next to the form, in Vietnamese, and
// change nothing; the admin deactivates the new person, who can no longer sign in, and
// reactivates them; the signers, the council and the award types and movements of the
// rule set in force are shown read-only, saying where they are edited. Desktop and phone.
func TestBrowserAdmin(t *testing.T) {
	requireChromium(t)
	d := startDev(t)
	p := newPage(t, d.URL)

	// Staff: no menu entry, and the route answers with the API's refusal.
	p.login("hongdao", orgconfig.DemoPassword)
	p.waitText("h1", "Trang chủ")
	if eval[bool](p, "the menu entry for staff", `!document.getElementById("nav-admin").hidden`) {
		t.Errorf("staff see the admin menu entry")
	}
	p.goTo("#/admin")
	p.waitText("#admin-refused", "Chỉ quản trị mới xem được trang quản trị")
	if n := eval[int](p, "count the forms", `document.querySelectorAll("#app form, #app table").length`); n != 0 {
		t.Errorf("staff on #/admin see %d forms or tables, want the refusal alone", n)
	}
	p.shot("80-admin-refused-staff")

	// The admin: the menu entry, the people, the filters.
	p.switchUser("quantri")
	p.click("#nav-admin")
	p.waitText("h1", "Quản trị hệ thống")
	p.waitText("#admin-people-table", "Phan Thị Thanh Thuý")
	all := len(p.rowsShown("#admin-people-table"))
	if all != 13 {
		t.Errorf("the people list shows %d people, want the demo's 13", all)
	}
	p.setValue("#admin-unit", "tt")
	if got := p.rowsShown("#admin-people-table"); len(got) != 3 {
		t.Errorf("filtered by unit tt: %v, want its 3 people", got)
	}
	p.setValue("#admin-unit", "")
	p.setValue("#admin-role", "clerk")
	if got := p.rowsShown("#admin-people-table"); len(got) != 1 || got[0] != "vanthu" {
		t.Errorf("filtered by the clerk role: %v, want vanthu", got)
	}
	p.setValue("#admin-role", "")
	p.setValue("#admin-q", "hong dao") // without diacritics
	if got := p.rowsShown("#admin-people-table"); len(got) != 1 || got[0] != "hongdao" {
		t.Errorf("searched for “hong dao”: %v, want hongdao", got)
	}
	p.setValue("#admin-q", "truong phong") // a position
	if got := p.rowsShown("#admin-people-table"); len(got) != 3 {
		t.Errorf("searched for “truong phong”: %v, want the 3 “Trưởng phòng”", got)
	}
	p.setValue("#admin-q", "")
	p.shot("81-admin-people")

	// Refusals, in Vietnamese, next to the form: the last văn thư, one's own admin role.
	p.goTo("#/admin/people/vanthu")
	p.waitText("#person-h", "Phan Thị Thanh Thuý")
	p.click("#deactivate-btn")
	p.do("the reason", chromedp.SendKeys("#deactivate-dialog-reason", "Nghỉ hưu"))
	p.click("#deactivate-dialog-confirm")
	p.waitText("#active-error", "Phải còn ít nhất một văn thư đang làm việc")
	p.waitText("#person-history", "Hệ thống (khởi tạo từ tệp cấu hình)")
	p.waitText("#person-status", "Đang hoạt động")
	p.shot("82-admin-refused-last-clerk")
	p.goTo("#/admin/people/quantri")
	p.waitText("#person-h", "Quản trị hệ thống")
	p.click("#person-role-admin")
	p.click("#person-role-staff")
	p.click("#person-save")
	p.waitText("#person-error", "Không thể tự bỏ vai trò quản trị của mình")
	var me struct {
		Roles []string `json:"roles"`
	}
	admin := apiLogin(t, d.URL, "quantri")
	admin.call("GET", "/api/v1/directory/people/quantri", nil, &me)
	if strings.Join(me.Roles, ",") != "admin" {
		t.Errorf("after the refused edit the admin's roles are %v", me.Roles)
	}

	// Add a person: a missing name is the server's refusal; a user name another admin
	// took after the form opened is refused by the server (the form adds, never
	// overwrites); then the whole form.
	p.goTo("#/admin/people")
	p.click("#admin-new-person")
	p.waitText("#new-person-h", "Thêm người dùng")
	admin.call("PUT", "/api/v1/directory/people/thanhtam", map[string]any{"name": "Người Khác", "position": "Chuyên viên",
		"unit": "vp", "roles": []string{"staff"}}, nil)
	p.do("the taken user name", chromedp.SendKeys("#person-id", "thanhtam"))
	p.setValue("#person-unit", "kgvx")
	p.click("#person-role-staff")
	p.do("the name", chromedp.SendKeys("#person-name", "Trần Thanh Tâm"))
	p.click("#person-save")
	p.waitText("#person-error", "Tên đăng nhập “thanhtam” đã có người dùng (Người Khác)")
	p.setValue("#person-id", "thanhtam2")
	p.setValue("#person-name", "")
	p.click("#person-save")
	p.waitText("#person-error", "Cần nhập họ và tên")
	p.do("the rest of the form",
		chromedp.SendKeys("#person-name", "Trần Thanh Tâm"),
		chromedp.SendKeys("#person-position", "Chuyên viên"),
		chromedp.SendKeys("#person-password", "matkhau-moi-2026"))
	p.shot("83-admin-new-person")
	p.click("#person-save")
	p.waitText("#person-h", "Trần Thanh Tâm (Chuyên viên, Phòng Khoa giáo")
	p.waitText("#admin-flash", "Đã thêm")
	p.waitText("#person-history", "Thêm mới")
	if !canSignIn(t, d.URL, "thanhtam2", "matkhau-moi-2026") {
		t.Errorf("the new person cannot sign in with the password the admin set")
	}

	// A second role; the history says what changed.
	p.click("#person-role-clerk")
	p.click("#person-save")
	p.waitText("#admin-flash", "Đã lưu thay đổi")
	p.waitText("#person-role-text", "Văn thư")
	p.waitText("#person-history", "Cập nhật")
	p.waitText("#person-history", "Vai trò: Cán bộ →")

	// A move from a date on: not before the latest change (the person was added just
	// now), so from now on (no date); a date before it is refused in Vietnamese.
	p.setValue("#move-unit", "tt")
	p.setValue("#move-date", "2020-01-15")
	p.click("#move-btn")
	p.waitText("#move-error", "trước lần thay đổi gần nhất")
	if vis := eval[bool](p, "is the earlier note shown", `!document.getElementById("admin-flash").hidden`); vis {
		t.Errorf("the note of the earlier save is still shown after another action")
	}
	vn, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(vn)
	p.setValue("#move-date", "")
	p.do("the note", chromedp.SendKeys("#move-note", "Quyết định điều động số 12-QĐ/BTGTU"))
	p.click("#move-btn")
	p.waitText("#admin-flash", "Đã ghi điều chuyển")
	p.waitText("#person-h", "Phòng Tuyên truyền")
	p.waitText("#person-history", "Điều chuyển")
	p.waitText("#person-history", today.Format("02/01/2006"))
	p.waitText("#person-history", "Đơn vị: Phòng Khoa giáo - Văn hoá, văn nghệ → Phòng Tuyên truyền - Báo chí")
	p.waitText("#person-history", "Quản trị hệ thống") // who recorded it, by name
	p.shot("84-admin-person-history")

	// Deactivation: the reason asked for in a dialog; the person can no longer sign in.
	p.click("#deactivate-btn")
	p.do("the reason", chromedp.SendKeys("#deactivate-dialog-reason", "Chuyển công tác"))
	p.click("#deactivate-dialog-confirm")
	p.waitText("#person-status", "Ngừng hoạt động")
	p.waitText("#person-history", "Chuyển công tác")
	if canSignIn(t, d.URL, "thanhtam2", "matkhau-moi-2026") {
		t.Errorf("a deactivated person can still sign in")
	}
	p.goTo("#/admin/people")
	p.waitText("#admin-people-table", "Phan Thị Thanh Thuý")
	if got := p.rowsShown("#admin-people-table"); len(got) != all+1 { // the demo's and the other admin's
		t.Errorf("the active list after deactivating shows %d people, want %d", len(got), all+1)
	}
	p.setValue("#admin-status", "inactive")
	if got := p.rowsShown("#admin-people-table"); len(got) != 1 || got[0] != "thanhtam2" {
		t.Errorf("the deactivated people: %v, want thanhtam2", got)
	}
	p.click(`#admin-people-table tr[data-id="thanhtam2"] a`)
	p.click("#reactivate-btn")
	p.waitText("#person-status", "Đang hoạt động")
	p.waitText("#person-history", "Hoạt động lại")

	// Units: add one; closing a unit people still work in is refused.
	p.click("#admin-tab-units")
	p.waitText("#units-table", "Phòng Tuyên truyền - Báo chí")
	p.do("a new unit", chromedp.SendKeys("#unit-id", "kt"), chromedp.SendKeys("#unit-name", "Phòng Kiểm tra"))
	p.click("#unit-save")
	p.waitText("#admin-flash", "Đã lưu đơn vị Phòng Kiểm tra")
	p.waitText("#units-table", "Phòng Kiểm tra")
	p.click("#unit-edit-tt")
	p.click("#unit-active")
	p.click("#unit-save")
	p.waitText("#unit-error", "đang làm việc: điều chuyển người trước khi giải thể đơn vị")
	p.shot("85-admin-units")

	// Signers and the rules in force, read-only, saying where they are edited.
	p.click("#admin-tab-rules")
	p.waitText("#signers-table", "Nguyễn Văn Hùng")
	p.waitText("#signers-table", "Lê Thị Thu Hà")
	p.waitText("#signers-table", "K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN")
	p.waitText("#council-list", "Huỳnh Thị Mỹ Linh")
	p.waitText("#ruleset-in-force", "Nghị định 152/2025")
	p.waitText("#signers-table", "Giấy khen")
	p.waitText("#types-table", "Lao động tiên tiến")
	p.waitText("#types-table", "đạt khi đồng ý trên 50% tổng số thành viên Hội đồng")
	p.waitText("#types-table", "Ký: Lê Thị Thu Hà") // Giấy khen, by the deputy
	p.waitText("#movements-table", "Xây dựng văn hoá và con người Đồng Tháp")
	p.waitText("#rules-yaml-note", "tệp cấu hình")
	if n := eval[int](p, "count the inputs", `document.querySelectorAll("#app input, #app select, #app textarea").length`); n != 0 {
		t.Errorf("the read-only view has %d inputs", n)
	}
	p.shot("86-admin-rules")

	// A phone: the lists become labelled cards and nothing reaches beyond the edge.
	p.do("a phone", chromedp.EmulateViewport(390, 844))
	for _, v := range []struct{ hash, sel, want, shot string }{
		{"#/admin/people", "#admin-people-table", "Phan Thị Thanh Thuý", "87-admin-people-phone"},
		{"#/admin/people/thanhtam2", "#person-history", "Điều chuyển", "88-admin-person-phone"},
		{"#/admin/units", "#units-table", "Phòng Kiểm tra", "89-admin-units-phone"},
		{"#/admin/rules", "#types-table", "Lao động tiên tiến", "90-admin-rules-phone"},
	} {
		p.goTo(v.hash)
		p.waitText(v.sel, v.want)
		p.fitsWidth(390)
		if vis := eval[bool](p, "is the table head shown", `getComputedStyle(document.querySelector("`+v.sel+` thead")).display !== "none"`); vis {
			t.Errorf("%s on a phone keeps its header row (cells should carry their labels)", v.sel)
		}
		p.shot(v.shot)
	}
	p.assertNoProblems()
}
