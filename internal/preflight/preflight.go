// Package preflight checks, when `awardflow server` or `awardflow worker` starts, that the
// Temporal namespace exists and has every search attribute awardflow uses with the right
// type, and refuses to start otherwise, naming what is missing with the temporal CLI
// command that creates it (as temporalio/reference-app-orders-go does). Without it a
// namespace lacking the attributes looks ready, and every call fails later.
//
// It also watches whether a worker polls the task queue (Pollers), so that the server's
// /readyz says so and a request that no worker would take answers 503 at once.
//
// The package links only the Temporal SDK and API, never the server: it is part of the
// production binary.
package preflight

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// CLIType is the name the temporal CLI's --type flag takes for an indexed value type.
func CLIType(t enumspb.IndexedValueType) string {
	switch t {
	case enumspb.INDEXED_VALUE_TYPE_TEXT:
		return "Text"
	case enumspb.INDEXED_VALUE_TYPE_KEYWORD:
		return "Keyword"
	case enumspb.INDEXED_VALUE_TYPE_INT:
		return "Int"
	case enumspb.INDEXED_VALUE_TYPE_DOUBLE:
		return "Double"
	case enumspb.INDEXED_VALUE_TYPE_BOOL:
		return "Bool"
	case enumspb.INDEXED_VALUE_TYPE_DATETIME:
		return "Datetime"
	case enumspb.INDEXED_VALUE_TYPE_KEYWORD_LIST:
		return "KeywordList"
	}
	return t.String()
}

// Problem is one thing the namespace lacks, with the command that fixes it.
type Problem struct {
	What string // e.g. "search attribute AwardStage is missing"
	Fix  string // e.g. "temporal operator search-attribute create --namespace awardflow --name AwardStage --type Keyword"
}

// Error lists every problem at once, so an operator fixes them all in one go.
type Error struct {
	Namespace string
	Problems  []Problem
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "không khởi động: không gian tên Temporal %q chưa sẵn sàng / refusing to start: Temporal namespace %q is not ready for awardflow:", e.Namespace, e.Namespace)
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  - %s\n      fix: %s", p.What, p.Fix)
	}
	return b.String()
}

// Check describes namespace and lists its search attributes; it returns an *Error naming
// a missing namespace, every missing attribute and every attribute of another type than
// want gives, each with the command that fixes it. Other failures (Temporal unreachable,
// permission denied) are returned wrapped.
func Check(ctx context.Context, c client.Client, namespace string, want map[string]enumspb.IndexedValueType) error {
	_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace})
	var nf *serviceerror.NamespaceNotFound
	if errors.As(err, &nf) {
		e := &Error{Namespace: namespace, Problems: []Problem{{
			What: fmt.Sprintf("không gian tên %q không tồn tại / namespace %q does not exist", namespace, namespace),
			Fix:  fmt.Sprintf("temporal operator namespace create --namespace %s --retention 30d", namespace),
		}}}
		// Its attributes are missing too: list their commands, to run after creating it.
		for _, name := range slices.Sorted(maps.Keys(want)) {
			e.Problems = append(e.Problems, missing(namespace, name, want[name]))
		}
		return e
	}
	if err != nil {
		return fmt.Errorf("describe Temporal namespace %q: %w", namespace, err)
	}
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("list the search attributes of Temporal namespace %q: %w", namespace, err)
	}
	have := resp.GetCustomAttributes()
	e := &Error{Namespace: namespace}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		got, ok := have[name]
		switch {
		case !ok:
			e.Problems = append(e.Problems, missing(namespace, name, want[name]))
		case got != want[name]:
			e.Problems = append(e.Problems, Problem{
				What: fmt.Sprintf("thuộc tính tìm kiếm %s có kiểu %s, cần %s / search attribute %s has type %s, awardflow needs %s",
					name, CLIType(got), CLIType(want[name]), name, CLIType(got), CLIType(want[name])),
				Fix: fmt.Sprintf("Temporal cannot change a type: use another namespace, or (losing its values) temporal operator search-attribute remove --namespace %s --name %s && temporal operator search-attribute create --namespace %s --name %s --type %s",
					namespace, name, namespace, name, CLIType(want[name])),
			})
		}
	}
	if len(e.Problems) > 0 {
		return e
	}
	return nil
}

func missing(namespace, name string, t enumspb.IndexedValueType) Problem {
	return Problem{
		What: fmt.Sprintf("thiếu thuộc tính tìm kiếm %s (%s) / search attribute %s (%s) is missing", name, CLIType(t), name, CLIType(t)),
		Fix:  fmt.Sprintf("temporal operator search-attribute create --namespace %s --name %s --type %s", namespace, name, CLIType(t)),
	}
}
