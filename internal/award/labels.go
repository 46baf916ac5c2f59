package award

import (
	"path"
	"strings"
)

// Display labels: the words people read for the codes the API and the workflows use.
// They live here, in one place; the server sends them with the data (stage_label,
// action_label, role_labels, …) and the pages show them as they come. labels_test.go
// fails when a constant of a labelled type is added without a label.

// Action is what a line of a proposal's history records.
type Action string

const (
	ActionCreate          Action = "create"
	ActionRevise          Action = "revise"
	ActionSelfAssess      Action = "self_assess"
	ActionAttachEvidence  Action = "attach_evidence"
	ActionSubmit          Action = "submit"
	ActionEndorse         Action = "endorse"
	ActionReturn          Action = "return"
	ActionReject          Action = "reject"
	ActionReviewOverdue   Action = "review_overdue"
	ActionCouncilSession  Action = "council_session"
	ActionCouncilNoQuorum Action = "council_no_quorum"
	ActionCouncilOutcome  Action = "council_outcome"
	// ActionCouncilExcluded: the secretary took the proposal off a session whose
	// documents could not be issued; it waits for the council again.
	ActionCouncilExcluded Action = "council_excluded"
	// ActionCouncilRevote: the proposal passed the vote but was tied with others at a
	// quota's cut; it waits for the council to vote on it again.
	ActionCouncilRevote Action = "council_revote"
)

// Action is the history entry a department head's decision leaves.
func (d HeadDecision) Action() Action {
	switch d {
	case HeadEndorse:
		return ActionEndorse
	case HeadReturn:
		return ActionReturn
	case HeadReject:
		return ActionReject
	}
	return Action(d)
}

// LabelVI is the stage name shown to people.
func (s Stage) LabelVI() string {
	switch s {
	case StageDraft:
		return "Đang soạn"
	case StageSubmitted:
		return "Chờ lãnh đạo phòng xác nhận"
	case StageReturned:
		return "Trả lại để bổ sung"
	case StageRejected:
		return "Không được xác nhận"
	case StageEndorsed:
		return "Chờ Hội đồng xét"
	case StageInSession:
		return "Hội đồng đang xét"
	case StageAwarded:
		return "Được khen thưởng"
	case StageNotAwarded:
		return "Không được khen thưởng"
	case StageProposedUpward:
		return "Đã trình cấp trên khen thưởng"
	case StageDeleted:
		return "Đã xoá"
	}
	return string(s)
}

// LabelVI is the history line's action as people say it.
func (a Action) LabelVI() string {
	switch a {
	case ActionCreate:
		return "Lập hồ sơ"
	case ActionRevise:
		return "Sửa thông tin hồ sơ"
	case ActionSelfAssess:
		return "Tự đánh giá theo tiêu chí"
	case ActionAttachEvidence:
		return "Thêm minh chứng"
	case ActionSubmit:
		return "Gửi lãnh đạo phòng"
	case ActionEndorse:
		return "Xác nhận"
	case ActionReturn:
		return "Trả lại để bổ sung"
	case ActionReject:
		return "Không xác nhận"
	case ActionReviewOverdue:
		return "Quá hạn xác nhận"
	case ActionCouncilSession:
		return "Đưa ra phiên họp Hội đồng"
	case ActionCouncilNoQuorum:
		return "Phiên họp không đủ số thành viên"
	case ActionCouncilOutcome:
		return "Kết quả xét của Hội đồng"
	case ActionCouncilExcluded:
		return "Thư ký Hội đồng loại khỏi phiên họp"
	case ActionCouncilRevote:
		return "Hội đồng bỏ phiếu lại (bằng phiếu tại ngưỡng chỉ tiêu)"
	case ActionDelete:
		return "Xoá hồ sơ"
	case ActionRemoveEvidence:
		return "Gỡ minh chứng"
	case ActionWithdraw:
		return "Rút hồ sơ về để sửa"
	}
	return string(a)
}

// LabelVI is the role's name.
func (r Role) LabelVI() string {
	switch r {
	case RoleStaff:
		return "Cán bộ"
	case RoleHead:
		return "Lãnh đạo phòng"
	case RoleChair:
		return "Chủ tịch Hội đồng"
	case RoleSecretary:
		return "Thư ký Hội đồng"
	case RoleMember:
		return "Thành viên Hội đồng"
	case RoleAdmin:
		return "Quản trị"
	case RoleClerk:
		return "Văn thư"
	}
	return string(r)
}

// RoleLabels names each role, in order.
func RoleLabels(roles []Role) []string {
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		out = append(out, r.LabelVI())
	}
	return out
}

// LabelVI is the session's state as the page shows it.
func (s SessionStatus) LabelVI() string {
	switch s {
	case SessionOpening:
		return "Đang mở phiên"
	case SessionOpen:
		return "Đang bỏ phiếu"
	case SessionClosed:
		return "Đã kết thúc bỏ phiếu, đang lập văn bản"
	case SessionDone:
		return "Đã hoàn thành, văn bản đã ký"
	case SessionIssueFailed:
		return "Lập văn bản không thành công, chờ thư ký Hội đồng xử lý"
	case SessionNotQuorate:
		return "Không đủ số thành viên, không kiểm phiếu"
	case SessionDeciding:
		return "Đã bỏ phiếu, chờ ký duyệt và phát hành quyết định"
	}
	return string(s)
}

// LabelVI is the pending document's state.
func (s DocStatus) LabelVI() string {
	switch s {
	case DocAwaitingSignature:
		return "Dự thảo chờ ký duyệt"
	case DocSentBack:
		return "Dự thảo bị trả lại"
	case DocAwaitingIssue:
		return "Đã ký, chờ văn thư phát hành"
	case DocIssued:
		return "Đã phát hành"
	case DocAbandoned:
		return "Đã huỷ dự thảo"
	}
	return string(s)
}

// LabelVI names the kind of pending document.
func (k DocKind) LabelVI() string {
	switch k {
	case DocKindDecision:
		return "Quyết định khen thưởng"
	case DocKindSubmission:
		return "Tờ trình đề nghị cấp trên"
	case DocKindRevocation:
		return "Quyết định huỷ bỏ quyết định khen thưởng"
	}
	return string(k)
}

// LabelVI is the document history's step as people say it.
func (a DocAction) LabelVI() string {
	switch a {
	case DocActionDrafted:
		return "Lập dự thảo"
	case DocActionApproved:
		return "Ký duyệt"
	case DocActionSentBack:
		return "Trả lại dự thảo"
	case DocActionRevised:
		return "Sửa dự thảo"
	case DocActionAbandon:
		return "Huỷ dự thảo"
	case DocActionIssued:
		return "Cấp số, đóng dấu, phát hành"
	case DocActionOverdue:
		return "Quá hạn ký duyệt"
	}
	return string(a)
}

// LabelVI names the kind of nominee.
func (k NomineeKind) LabelVI() string {
	switch k {
	case KindIndividual:
		return "Cá nhân"
	case KindCollective:
		return "Tập thể"
	}
	return string(k)
}

// LabelVI is the ballot mark's wording: the same words on the ballot page, in the API
// and in the minutes and submissions. "Không ý kiến" (no opinion) is the third option
// of a written ballot, as on the phiếu biểu quyết of Vietnamese councils and general
// meetings ("tán thành / không tán thành / không có ý kiến"); "không biểu quyết" means
// not voting at all, which a member who handed in a ballot did not do.
func (c Choice) LabelVI() string {
	switch c {
	case Yes:
		return "Đồng ý"
	case No:
		return "Không đồng ý"
	case Abstain:
		return "Không ý kiến"
	}
	return string(c)
}

// Every value of each labelled type, in display order: the pages build their choices
// (the stage filter, the nominee kinds, the ballot columns) from these.
var (
	Stages = []Stage{StageDraft, StageSubmitted, StageReturned, StageRejected, StageEndorsed, StageInSession,
		StageAwarded, StageNotAwarded, StageProposedUpward, StageDeleted}
	Actions = []Action{ActionCreate, ActionRevise, ActionSelfAssess, ActionAttachEvidence, ActionSubmit,
		ActionEndorse, ActionReturn, ActionReject, ActionReviewOverdue, ActionCouncilSession,
		ActionCouncilNoQuorum, ActionCouncilOutcome, ActionCouncilExcluded, ActionCouncilRevote,
		ActionDelete, ActionRemoveEvidence, ActionWithdraw}
	Roles           = []Role{RoleStaff, RoleHead, RoleChair, RoleSecretary, RoleMember, RoleAdmin, RoleClerk}
	SessionStatuses = []SessionStatus{SessionOpening, SessionOpen, SessionClosed, SessionDeciding, SessionDone, SessionIssueFailed, SessionNotQuorate}
	DocStatuses     = []DocStatus{DocAwaitingSignature, DocSentBack, DocAwaitingIssue, DocIssued, DocAbandoned}
	DocKinds        = []DocKind{DocKindDecision, DocKindSubmission, DocKindRevocation}
	DocActions      = []DocAction{DocActionDrafted, DocActionApproved, DocActionSentBack, DocActionRevised, DocActionAbandon, DocActionIssued, DocActionOverdue}
	Kinds           = []NomineeKind{KindIndividual, KindCollective}
	Choices         = []Choice{Yes, No, Abstain}
)

// Label is a code with the words shown for it.
type Label struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// Labels pairs each value with its label.
func Labels[T interface {
	~string
	LabelVI() string
}](values []T) []Label {
	out := make([]Label, 0, len(values))
	for _, v := range values {
		out = append(out, Label{Code: string(v), Label: v.LabelVI()})
	}
	return out
}

// FileTypeLabel names an evidence file's type in words ("Tài liệu PDF", "Ảnh JPEG").
// Word and Excel files sniff as ZIP archives: their name's extension tells them apart.
func FileTypeLabel(contentType, name string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	switch strings.ToLower(strings.TrimSpace(mt)) {
	case "application/pdf":
		return "Tài liệu PDF"
	case "image/png":
		return "Ảnh PNG"
	case "image/jpeg":
		return "Ảnh JPEG"
	case "text/plain":
		return "Tệp văn bản"
	case "application/zip":
		switch strings.ToLower(path.Ext(name)) {
		case ".docx":
			return "Tài liệu Word"
		case ".xlsx":
			return "Bảng tính Excel"
		case ".pptx":
			return "Bản trình chiếu PowerPoint"
		}
		return "Tệp nén ZIP"
	}
	return "Tệp khác"
}

// PersonLabel is how a person is named on the pages: "Nguyễn Thị Hồng Đào (Chuyên
// viên, Phòng Tuyên truyền)". Absent parts are left out.
func PersonLabel(name, position, department string) string {
	var extra []string
	for _, s := range []string{position, department} {
		if s = strings.TrimSpace(s); s != "" {
			extra = append(extra, s)
		}
	}
	if len(extra) == 0 {
		return name
	}
	return name + " (" + strings.Join(extra, ", ") + ")"
}
