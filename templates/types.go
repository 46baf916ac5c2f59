// Package templates lays out awardflow's documents as PDF with gofpdf: the award
// decision (quyết định khen thưởng) with its annex list, the minutes of the
// council meeting and ballot count (biên bản họp và kiểm phiếu), and the
// submission upward (tờ trình) for awards above the agency's authority.
//
// Two presentation profiles are supported: NĐ30 (Nghị định 30/2020/NĐ-CP, state
// bodies) and HD36 (Hướng dẫn 36-HD/VPTW, Party bodies). Text is set in the
// embedded Liberation Serif 2.x (metric-compatible with Times New Roman), input
// is NFC-normalised, and characters the font cannot show are rejected with an
// error instead of being drawn as empty boxes.
//
// Rendering is deterministic: the same input and RenderOptions.CreationDate give
// byte-identical PDFs, so a stored document can be re-rendered and compared.
package templates

import (
	"time"

	"github.com/awardflow/awardflow/internal/award"
)

// Profile selects the presentation rules.
type Profile string

const (
	ProfileND30 Profile = "ND30" // Nghị định 30/2020/NĐ-CP — state administrative bodies
	ProfileHD36 Profile = "HD36" // Hướng dẫn 36-HD/VPTW — Party bodies
)

// Agency is the issuing body as printed in the header. All names are
// configuration: they change with mergers.
type Agency struct {
	Profile    Profile
	ParentName string // superior body, caps: "TỈNH UỶ ĐỒNG THÁP" (HD36) or "UBND TỈNH ĐỒNG THÁP" (ND30); may be empty
	Name       string // issuing body, caps: "BAN TUYÊN GIÁO"; a "\n" forces a line break
	Code       string // ký hiệu of the issuing body: "BTGTU", "UBND"
	Place      string // địa danh for the date line: "Đồng Tháp"
	// FullName is the body's name in running text, e.g. "Ban Tuyên giáo Tỉnh uỷ
	// Đồng Tháp": used in the annex heading ("… của Ban Tuyên giáo Tỉnh uỷ") and as the
	// PDF author. Optional; defaults to Name + ", " + ParentName.
	FullName string
}

// Signer is the signature block. Printed as
//
//	Prefix Body      (only when Prefix is set: "T/M BAN THƯỜNG VỤ", "KT. TRƯỞNG BAN")
//	Title            ("TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "CHỦ TỊCH")
//	[space for the signature and seal]
//	Name             (bold, normal case)
type Signer struct {
	Prefix string // "TM.", "KT.", "TL." (ND30) or "T/M", "K/T", "T/L" (HD36)
	Body   string // "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "BAN THƯỜNG VỤ", "TRƯỞNG BAN"
	Title  string
	Name   string
}

// Awardee is one row of the annex list.
type Awardee struct {
	Name     string
	Position string // chức vụ
	Unit     string // đơn vị công tác
}

// Decision is a quyết định khen thưởng. Strings are printed as given (the domain
// core owns wording and numbering); the template owns layout, the generated
// article text and the annex.
type Decision struct {
	Agency     Agency
	NumberText string    // formatted by the domain core: "Số: 05/QĐ-UBND" or "Số 05-QĐ/BTGTU"
	Date       time.Time // zero leaves day/month/year blank for the văn thư
	Subject    string    // trích yếu: "Về việc tặng danh hiệu Lao động tiên tiến năm 2025"
	// Authority is the line above the căn cứ, caps: "TRƯỞNG BAN TUYÊN GIÁO TỈNH UỶ".
	// Optional.
	Authority string
	// Bases are the căn cứ / xét đề nghị lines, printed italic. A line without final
	// punctuation gets ";" (or "." for the last one, as in the NĐ30 form).
	Bases []string

	AwardName   string // "Lao động tiên tiến"
	AwardPhrase string // optional override of "danh hiệu “<AwardName>”", e.g. "Giấy khen"
	Period      string // optional, appended to the award: "năm 2025"
	Movement    string // optional: "… có thành tích trong phong trào thi đua “<Movement>”"

	// Bonus (Điều 2), omitted when either is zero.
	BonusCoefficient float64 // × BaseSalary
	BaseSalary       int64   // mức lương cơ sở, đồng
	BonusRoundUpTo   int64   // see BonusAmount; 0 = no rounding
	BonusFundSource  string  // optional sentence: "Kinh phí khen thưởng trích từ Quỹ thi đua, khen thưởng của cơ quan."

	Executors  string   // "Chánh Văn phòng, Trưởng các phòng và các cá nhân có tên tại Điều 1"
	Recipients []string // "Nơi nhận:" items; "- " is added when missing; last is usually "Lưu: VT, …"
	Signer     Signer

	Awardees []Awardee // annex "Danh sách kèm theo"
	// Collective: every awardee is a collective (tập thể). The articles, the annex
	// heading and its columns then speak of collectives: "cho 03 tập thể", "Mỗi tập
	// thể …", "Tên tập thể" / "Đơn vị". A decision never mixes the two.
	Collective bool
	// AnnexHeading is the line under "DANH SÁCH". Default:
	// "Cá nhân được tặng <award phrase> <Period>".
	AnnexHeading string

	Title string // PDF metadata title; defaults to "Quyết định " + bare number + " " + Subject

	// Articles, when set, are the decision's articles instead of the award's (Tặng …,
	// the bonus, the executors): a revocation decision (huỷ bỏ quyết định khen thưởng)
	// says what it revokes and what is recovered. Each is one Điều; the last gets "./.".
	Articles []string
}

// MinutesItem is one nominee's ballot result. The template prints the counts and
// the vote arithmetic as the domain core worked it out (award.VoteResult): quorum,
// pass mark and its base are per-agency configuration.
type MinutesItem struct {
	Nominee   string
	AwardName string
	Yes       int // đồng ý
	No        int // không đồng ý
	Abstain   int // không ý kiến
	// Vote is yes of the rule's base: the "Tỷ lệ đồng ý" cell prints its fraction and
	// percentage ("4/6 (66,67%)").
	Vote   award.VoteResult
	Passed bool
	// Result is the short "Kết quả" cell; default "Đạt" / "Không đạt". Reasons are
	// given once, under the table (Minutes.Notes), never per row.
	Result string
}

// Minutes is the biên bản of a council meeting and its ballot count.
type Minutes struct {
	Agency       Agency
	NumberText   string    // "Số: 01/BB-HĐTĐKT" / "Số 01-BB/BTGTU"
	Date         time.Time // date line
	SessionTitle string    // "Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm 2025"
	// Opened and Closed are the meeting's start and end (Vietnam time is printed): the
	// start to the minute below, the end to the minute above, so the printed span holds
	// the real one and never shows one minute twice. Zero omits the time.
	Opened, Closed time.Time
	Location       string // "Phòng họp Ban Tuyên giáo Tỉnh uỷ"

	Chair         string // name
	ChairRole     string // "Trưởng Ban, Chủ tịch Hội đồng"
	Secretary     string
	SecretaryRole string
	// Members is the number of voting members; Present and Absent name them (one per
	// line, absent with a reason when known). Zero Members prints no total.
	Members    int
	Present    []string
	Absent     []string // empty prints "không"
	QuorumText string   // "Có mặt 07/07 thành viên, đủ điều kiện …"

	Agenda []string // paragraphs before the vote
	// Methods is the voting method per award type: "bỏ phiếu kín đối với hình thức
	// “…”; biểu quyết giơ tay đối với hình thức “…”". Empty omits the line.
	Methods string
	// Ballots are the ballot figures; nil (or not Counted) prints none.
	Ballots *award.Ballots
	// VoteRules are the pass rules, one line per award type (base and threshold),
	// printed once before the table.
	VoteRules []string
	Items     []MinutesItem
	// Notes are printed once under the table (e.g. how a quota cut the list).
	Notes      []string
	Conclusion []string // paragraphs after the tally

	ChairSignTitle     string // default "CHỦ TRÌ"
	SecretarySignTitle string // default "THƯ KÝ"
	Title              string // PDF metadata title
}

// SubmissionItem is one proposal in a tờ trình and the council's vote on it.
// The template prints the counts and the vote arithmetic as given; the domain core
// decides what passed (quorum and pass mark are per-agency configuration).
type SubmissionItem struct {
	Nominee string // person's full name or the collective's name
	// Kind is "cá nhân" (individual) or "tập thể" (collective), any case.
	// A submission mixing both prints them in two groups, collectives and
	// individuals in the order their kind first appears.
	Kind      string
	Unit      string // đơn vị: the nominee's unit, or the collective's parent unit
	AwardName string // hình thức đề nghị: "Tập thể lao động xuất sắc năm 2025"
	// Yes, No and Abstain are the marks on the proposal (valid ballots).
	Yes, No, Abstain int
	// Vote is yes of the rule's base; its Yes must equal Yes. The "Tỷ lệ đồng ý" cell
	// prints "4/6 (66,67%)", the same text as the minutes.
	Vote award.VoteResult
	// Achievements is a short summary (tóm tắt thành tích). When every item
	// leaves it empty the column is left out.
	Achievements string
}

// Submission is a tờ trình: a request to a higher body (usually its Hội đồng
// Thi đua - Khen thưởng) for awards above the agency's own authority, with the
// proposals and the agency council's vote on each.
type Submission struct {
	Agency     Agency
	NumberText string    // "Số: 03/TTr-SVHTTDL" (NĐ30) or "Số 03-TTr/BTGTU" (HD36)
	Date       time.Time // zero leaves day/month/year blank for the văn thư
	// Recipient is the addressee of the "Kính gửi:" line: "Hội đồng Thi đua -
	// Khen thưởng Tỉnh". A leading "Kính gửi:" is accepted and not repeated.
	// Several addressees, one per line ("\n"), print as a list under the label.
	Recipient string
	Subject   string   // trích yếu: "Về việc đề nghị tặng danh hiệu Tập thể lao động xuất sắc năm 2025"
	Bases     []string // căn cứ paragraphs; ";" is added where a line has no final punctuation
	Intro     []string // paragraphs before the table of proposals
	Items     []SubmissionItem
	// Closing is the paragraph after the table. It ends with "./."; default:
	// "<Agency full name> kính trình <Recipient> xem xét, quyết định./."
	Closing    string
	Recipients []string // "Nơi nhận:" items, as for Decision
	Signer     Signer
	// SignerRole names the signature slot: default "signer"; the council's tờ trình to
	// the head is signed by the chair ("chair").
	SignerRole string
	Title      string // PDF metadata title; defaults to "Tờ trình " + bare number + " " + Subject
}

// RenderOptions control reproducibility and the stage of the document.
type RenderOptions struct {
	// CreationDate is written as the PDF CreationDate and ModDate; with it fixed,
	// output is byte-for-byte reproducible. Zero means now.
	CreationDate time.Time

	// Draft renders a dự thảo: "DỰ THẢO" in a box at the top left of page 1 and
	// as a light diagonal watermark under every page, and neither numbered nor
	// dated. The number line prints NumberText as given, which must be a
	// placeholder without the number ("Số:      /QĐ-UBND", "Số      -QĐ/BTGTU"),
	// and the date line and the annex's reference print blanks whatever the
	// document's Date says.
	Draft bool

	// LeaveNumberAndDate renders the version the signer signs: the number line
	// and the place/date line are left empty (and so are the number and date in
	// an annex's "(Kèm theo Quyết định số … ngày …)"), and Rendered.TextSlots say
	// where they go. The văn thư adds them after the signature as an incremental
	// update (pdfsign.AddText), then seals. NumberText must be a placeholder
	// without the number, as for Draft: the number is taken only at issue.
	LeaveNumberAndDate bool
}

// SlotField names what belongs in a TextSlot.
type SlotField string

const (
	SlotNumber      SlotField = "number"       // the number line: NumberText, "Số 05-QĐ/BTGTU"
	SlotDate        SlotField = "date"         // the place/date line: "Đồng Tháp, ngày 05 tháng 02 năm 2026"
	SlotAnnexNumber SlotField = "annex_number" // the annex's reference to the number: "05-QĐ/BTGTU"
	SlotAnnexDate   SlotField = "annex_date"   // the annex's reference to the date: "05/02/2026"
	// SlotAnnexRef is the annex's reference as one blank: "05/QĐ-UBND ngày 05/02/2026"
	// (NĐ30), "05-QĐ/BTGTU, ngày 05-02-2026" (HD36). Documents rendered since it replace
	// the two blanks above (still filled for files signed before).
	SlotAnnexRef SlotField = "annex_ref"
)

// TextSlot is a place on a page left blank for a line of text added after
// rendering (see RenderOptions.LeaveNumberAndDate). Coordinates are PDF points
// in the page's user space, origin bottom-left. The text is set on Baseline in
// Liberation Serif (Italic: the italic face; Font returns the face) at Size
// points, centred between X and X+Width (Left: starting at X, for a blank
// inside a sentence): exactly where and how the document would have printed
// it. Rendered.IssueOverlays turns the slots into pdfsign overlays.
type TextSlot struct {
	Field    SlotField `json:"field"`
	Page     int       `json:"page"` // 1-based
	X        float64   `json:"x"`
	Baseline float64   `json:"baseline"`
	Width    float64   `json:"width"`
	Size     float64   `json:"size"`
	Italic   bool      `json:"italic,omitempty"`
	Left     bool      `json:"left,omitempty"`
	// Party: the document follows HD36, which cites a document in its text as "số
	// 05-QĐ/BTGTU, ngày 05-02-2026" (a comma after the number, hyphens in the date;
	// conventions.go); the annex slots are filled that way.
	Party bool `json:"party,omitempty"`
}

// SignatureSlot is where a visible signature appearance should go: the blank
// space above a signer's name.
type SignatureSlot struct {
	Role string     // "signer", "chair", "secretary"
	Name string     // signer's name as printed
	Page int        // 1-based
	Rect [4]float64 // PDF user space points, origin bottom-left: llx, lly, urx, ury
}

// Rendered is a finished PDF and where it should be signed.
type Rendered struct {
	PDF []byte
	// SignatureRect/SignaturePage: the primary signer (the decision's signer, the
	// minutes' chair). Signatures lists every slot.
	SignatureRect [4]float64
	SignaturePage int
	Signatures    []SignatureSlot
	Pages         int

	// NumberSlot and DateSlot are the header's number and place/date lines
	// left empty under RenderOptions.LeaveNumberAndDate (nil otherwise).
	// TextSlots lists every slot left empty, the header's first, then an
	// annex's.
	NumberSlot, DateSlot *TextSlot
	TextSlots            []TextSlot
}
