package award

import (
	"slices"
	"strings"
	"time"
)

// Public posting (công khai): before the head decides, the council's list may be posted
// inside the agency for a number of working days, during which anyone may object to a
// nominee; the signer sees the objections. NĐ 152/2025 Điều 60 k3 asks for 10 working
// days of public comment before high awards [verify]; agencies often post their own
// lists internally [practice]. The days and whether posting is required are config.

// PostingRule is the agency's rule (orgconfig agency.posting).
type PostingRule struct {
	// Days is the length of the posting in working days; 0 means the agency does not post.
	Days int `yaml:"days" json:"days"`
	// Required: the signer may not approve a decision before a posting of the session has
	// ended. Without it, posting is optional, but an open posting still holds approval.
	Required bool `yaml:"required" json:"required"`
	// Holidays are the non-working days besides Saturdays and Sundays (Tết, 30/4, 1/5,
	// 2/9 …: they change every year, so they are data).
	Holidays []string `yaml:"holidays" json:"holidays"` // YYYY-MM-DD
	Citation string   `yaml:"citation" json:"citation"`
}

// AddWorkingDays is the end of a posting of n working days that starts on the local day
// of start: the posting covers that day (if a working day) and the next working days
// until n are counted, and ends at the end of the last one (the next midnight, in loc).
func AddWorkingDays(start time.Time, n int, holidays []string, loc *time.Location) time.Time {
	day := time.Date(start.In(loc).Year(), start.In(loc).Month(), start.In(loc).Day(), 0, 0, 0, 0, loc)
	counted := 0
	for {
		if workingDay(day, holidays) {
			counted++
			if counted >= n {
				return day.AddDate(0, 0, 1)
			}
		}
		day = day.AddDate(0, 0, 1)
	}
}

func workingDay(d time.Time, holidays []string) bool {
	if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		return false
	}
	return !slices.Contains(holidays, d.Format(time.DateOnly))
}

// Posting is a session's list as posted.
type Posting struct {
	SessionID string    `json:"session_id"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	PostedBy  string    `json:"posted_by"`
}

// Open reports whether objections are taken at now.
func (p Posting) Open(now time.Time) bool { return !now.Before(p.StartsAt) && now.Before(p.EndsAt) }

// CanPost reports whether the actor may post a session's list: the council secretary.
func CanPost(a Actor) error {
	if a.actsAs(RoleSecretary) {
		return nil
	}
	return Forbidden("Chỉ thư ký Hội đồng mới được công khai danh sách", "only the council secretary may post the list")
}

// CheckApproveAfterPosting is the gate on the signer: a posting still open holds every
// approval of the session; with a required posting, approval waits for one to have ended.
func CheckApproveAfterPosting(rule PostingRule, p *Posting, now time.Time, loc *time.Location) error {
	switch {
	case p != nil && p.Open(now):
		return WrongStage("Danh sách đang được công khai đến hết ngày %s: chưa thể ký duyệt", "the list is posted until the end of %s: approval waits",
			p.EndsAt.In(loc).AddDate(0, 0, -1).Format("02/01/2006"))
	case rule.Required && rule.Days > 0 && p == nil:
		return WrongStage("Cần công khai danh sách %d ngày làm việc trước khi ký duyệt", "the list must be posted for %d working days before approval", rule.Days)
	}
	return nil
}

// FieldObjection is an objection's text.
var FieldObjection = TextField{"Nội dung phản ánh", "objection"}

// CheckObjection checks an objection to a nominee of a posted list: during the posting,
// with a text, about a proposal on the list.
func CheckObjection(p *Posting, now time.Time, onList bool, text string) error {
	switch {
	case p == nil:
		return WrongStage("Danh sách của phiên họp này chưa được công khai", "this session's list is not posted")
	case !p.Open(now):
		return WrongStage("Đã hết thời gian công khai, không nhận phản ánh", "the posting has ended: objections are closed")
	case !onList:
		return NotFound("Hồ sơ không có trong danh sách công khai", "the proposal is not on the posted list")
	case strings.TrimSpace(text) == "":
		return Invalid("Cần ghi nội dung phản ánh", "the objection needs a text")
	}
	return nil
}
