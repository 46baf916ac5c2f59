package workflows

import (
	"slices"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// patches decides a workflow's versioned branches. A type registered under its original
// name replays the histories recorded before each change, so every branch asks
// workflow.GetVersion, which records a marker and — in the Go SDK — upserts the
// TemporalChangeVersion search attribute: one more visibility write per change, per
// workflow, the most expensive database operation of a filing (issue 12). A type
// introduced later (ProposalWorkflowV2) folds every change known when it was introduced:
// it takes their newest branch with no marker and no write. A change made after the fold
// asks workflow.GetVersion in both types, as usual.
type patches struct {
	folded bool
	// ownRows: the rows of the changes the API asks for are written by the API
	// (ownrow.go): ProposalWorkflowV3.
	ownRows bool
}

// legacy are the branches of a workflow type started before the fold.
var legacy = patches{}

// version is the branch of a change folded into the newer types: max there, else what
// workflow.GetVersion says (DefaultVersion in histories recorded before the change).
func (p patches) version(ctx workflow.Context, changeID string, max workflow.Version) workflow.Version {
	if p.folded {
		return max
	}
	return workflow.GetVersion(ctx, changeID, workflow.DefaultVersion, max)
}

// saChanges collects search attribute updates. In a folded type it keeps only those that
// change what the workflow already carries (set at its start by Update-with-Start, or by
// an earlier upsert), and nothing at all when nothing changed; a legacy type upserts
// every value, as its histories recorded.
type saChanges struct {
	lean bool
	cur  temporal.SearchAttributes
	out  []temporal.SearchAttributeUpdate
}

func (p patches) searchAttributes(ctx workflow.Context) *saChanges {
	c := &saChanges{lean: p.folded}
	if c.lean {
		c.cur = workflow.GetTypedSearchAttributes(ctx)
	}
	return c
}

func (c *saChanges) keyword(k temporal.SearchAttributeKeyKeyword, v string) {
	if c.lean {
		if cur, ok := c.cur.GetKeyword(k); ok && cur == v {
			return
		}
	}
	c.out = append(c.out, k.ValueSet(v))
}

func (c *saChanges) keywordList(k temporal.SearchAttributeKeyKeywordList, v []string) {
	if c.lean {
		cur, ok := c.cur.GetKeywordList(k)
		if (ok && slices.Equal(cur, v)) || (!ok && len(v) == 0) {
			return
		}
	}
	c.out = append(c.out, k.ValueSet(v))
}

func (c *saChanges) time(k temporal.SearchAttributeKeyTime, v time.Time) {
	if c.lean {
		if cur, ok := c.cur.GetTime(k); ok && cur.Equal(v) {
			return
		}
	}
	c.out = append(c.out, k.ValueSet(v))
}

func (c *saChanges) unsetTime(k temporal.SearchAttributeKeyTime) {
	if c.lean && !c.cur.ContainsKey(k) {
		return
	}
	c.out = append(c.out, k.ValueUnset())
}

// upsert writes the collected updates, if any.
func (c *saChanges) upsert(ctx workflow.Context) error {
	if len(c.out) == 0 {
		return nil
	}
	return workflow.UpsertTypedSearchAttributes(ctx, c.out...)
}
