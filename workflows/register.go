package workflows

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/awardflow/awardflow/internal/award"
)

// RegisterState is the document register (sổ đăng ký văn bản) of one series, e.g. the
// decisions of agency BTGTU in 2026. It survives continue-as-new.
type RegisterState struct {
	Series string         `json:"series"`
	Next   int            `json:"next"`
	Issued map[string]int `json:"issued"` // request id -> number
}

// AllocateInput asks for the number of one document. The same RequestID always gets the
// same number, so a retried activity never burns a number (no gaps, no duplicates).
type AllocateInput struct {
	RequestID string `json:"request_id"`
}

// RegisterWorkflowID names the register of a series and period: a year ("2026") or an
// HD36 term ("nk-2025-10-20"; see award.RegisterPeriod). Workflow ids travel in gRPC
// headers, which must be ASCII: "QĐ" becomes "QD".
func RegisterWorkflowID(agencyCode, docType, period string) string {
	ascii := strings.NewReplacer("Đ", "D", "đ", "d").Replace(agencyCode + "/" + docType)
	return fmt.Sprintf("register/%s/%s", ascii, period)
}

// maxRegisterHistory bounds the history before the register continues as new.
const maxRegisterHistory = 2000

// DecisionRegisterWorkflow hands out consecutive numbers. It runs for as long as its
// series is used (one a year) and never completes on its own.
func DecisionRegisterWorkflow(ctx workflow.Context, st RegisterState) error {
	if st.Next < 1 {
		st.Next = 1
	}
	if st.Issued == nil {
		st.Issued = map[string]int{}
	}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (RegisterState, error) { return st, nil }); err != nil {
		return fmt.Errorf("register query: %w", err)
	}
	err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateAllocate,
		func(ctx workflow.Context, in AllocateInput) (int, error) {
			if n, ok := st.Issued[in.RequestID]; ok {
				return n, nil
			}
			n := st.Next
			st.Next++
			st.Issued[in.RequestID] = n
			return n, nil
		},
		workflow.UpdateHandlerOptions{Validator: func(in AllocateInput) error {
			if strings.TrimSpace(in.RequestID) == "" {
				return asApplicationError(award.Invalid("Thiếu mã yêu cầu cấp số", "request_id is required"))
			}
			return nil
		}})
	if err != nil {
		return fmt.Errorf("register update: %w", err)
	}
	if err := workflow.Await(ctx, func() bool {
		info := workflow.GetInfo(ctx)
		return info.GetContinueAsNewSuggested() || info.GetCurrentHistoryLength() > maxRegisterHistory
	}); err != nil {
		return fmt.Errorf("register wait: %w", err)
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return fmt.Errorf("register drain: %w", err)
	}
	return workflow.NewContinueAsNewError(ctx, DecisionRegisterWorkflow, st)
}
