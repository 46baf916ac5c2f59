//go:build nodev

package main

import (
	"context"
	"io"
	"log/slog"
)

// runDev in the production build: the dev stack (embedded Temporal and S3) is not
// linked, so `awardflow dev` only says which build has it.
func runDev(_ context.Context, _ []string, _, _ io.Writer, _ *slog.Logger) error {
	return errNoDev
}
