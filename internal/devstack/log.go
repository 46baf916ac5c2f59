package devstack

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// FatalError is what the embedded Temporal server's Logger.Fatal turns into. The
// server calls Fatal for conditions such as a port already taken; zap would exit the
// process and a no-op logger would let it run on into a nil-pointer panic. Panicking
// with this value lets StartTemporal recover it as an error when it happens on the
// starting goroutine, and otherwise at least names the cause.
type FatalError struct {
	Msg   string
	Attrs []slog.Attr
}

func (e *FatalError) Error() string {
	var b strings.Builder
	b.WriteString("temporal server: ")
	b.WriteString(e.Msg)
	for _, a := range e.Attrs {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
	}
	return b.String()
}

// serverLogger adapts Temporal's logger interface to slog, passing WARN and above:
// the server is chatty at INFO and its routine messages mean nothing to awardflow users.
type serverLogger struct {
	l     *slog.Logger
	quiet *atomic.Bool // shared by all loggers derived through With
}

var (
	_ log.Logger     = serverLogger{}
	_ log.WithLogger = serverLogger{}
)

func newServerLogger(l *slog.Logger) serverLogger {
	return serverLogger{
		l:     slog.New(minLevelHandler{l.Handler(), slog.LevelWarn}).With("component", "temporal"),
		quiet: new(atomic.Bool),
	}
}

// silence drops every later record except Fatal and Panic. Temporal.Stop calls it:
// while the services stop one after the other, the survivors log hundreds of
// warnings and errors about the ones already gone ("Not enough hosts to serve the
// request", failed polls, dial errors), which say nothing about a real problem.
func (s serverLogger) silence() { s.quiet.Store(true) }

// benign are messages logged at WARN on every start that need no action here.
var benign = []string{
	"HTTP API port has not been set", // Nexus over HTTP, unused by awardflow
}

func (s serverLogger) Debug(msg string, tags ...tag.Tag)  { s.log(slog.LevelDebug, msg, tags) }
func (s serverLogger) Info(msg string, tags ...tag.Tag)   { s.log(slog.LevelInfo, msg, tags) }
func (s serverLogger) Warn(msg string, tags ...tag.Tag)   { s.log(slog.LevelWarn, msg, tags) }
func (s serverLogger) Error(msg string, tags ...tag.Tag)  { s.log(slog.LevelError, msg, tags) }
func (s serverLogger) DPanic(msg string, tags ...tag.Tag) { s.log(slog.LevelError, msg, tags) }

func (s serverLogger) Panic(msg string, tags ...tag.Tag) {
	s.l.LogAttrs(context.Background(), slog.LevelError, msg, attrs(tags)...)
	panic(&FatalError{Msg: msg, Attrs: attrs(tags)})
}

func (s serverLogger) Fatal(msg string, tags ...tag.Tag) {
	s.l.LogAttrs(context.Background(), slog.LevelError, msg, attrs(tags)...)
	panic(&FatalError{Msg: msg, Attrs: attrs(tags)})
}

func (s serverLogger) With(tags ...tag.Tag) log.Logger {
	args := make([]any, 0, len(tags))
	for _, a := range attrs(tags) {
		args = append(args, a)
	}
	return serverLogger{l: s.l.With(args...), quiet: s.quiet}
}

func (s serverLogger) log(level slog.Level, msg string, tags []tag.Tag) {
	ctx := context.Background()
	if s.quiet.Load() || !s.l.Enabled(ctx, level) {
		return
	}
	for _, b := range benign {
		if strings.HasPrefix(msg, b) {
			return
		}
	}
	s.l.LogAttrs(ctx, level, msg, attrs(tags)...)
}

func attrs(tags []tag.Tag) []slog.Attr {
	out := make([]slog.Attr, 0, len(tags))
	for _, t := range tags {
		out = append(out, slog.Any(t.Key(), t.Value()))
	}
	return out
}

// minLevelHandler drops records below min before they reach h.
type minLevelHandler struct {
	h   slog.Handler
	min slog.Level
}

func (m minLevelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.h.Enabled(ctx, l)
}

func (m minLevelHandler) Handle(ctx context.Context, r slog.Record) error {
	return m.h.Handle(ctx, r)
}

func (m minLevelHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevelHandler{m.h.WithAttrs(as), m.min}
}

func (m minLevelHandler) WithGroup(name string) slog.Handler {
	return minLevelHandler{m.h.WithGroup(name), m.min}
}
