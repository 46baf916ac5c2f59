// Command awardflow automates the paperwork of emulation and commendation (thi đua – khen
// thưởng): proposals, department endorsement, council votes and signed award decisions.
//
//	awardflow dev            everything in one process on embedded Temporal and S3
//	awardflow server         the HTTP API (production; configured by environment)
//	awardflow worker         the Temporal worker (production; configured by environment)
//	awardflow migrate        apply the records store's schema migrations ($AWARDFLOW_DB)
//	awardflow reindex        rebuild the lists' projection in the records store from Temporal
//	awardflow verify FILE    list and check the signatures of a PDF
//	awardflow backup FILE    back up a dev data directory (restore: put it back)
//	awardflow hash-password  make a bcrypt hash for the organisation config
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `awardflow — thi đua – khen thưởng: hồ sơ, xét duyệt, bỏ phiếu và quyết định ký số
(emulation and commendation: proposals, endorsement, council votes, signed decisions)

Usage:
  awardflow dev [--addr 127.0.0.1:8080] [--data ./.awardflow] [--org org.yaml]
  awardflow server          (configured by environment variables, see --help)
  awardflow worker          (configured by environment variables, see --help)
  awardflow migrate [status] (the records store named by $AWARDFLOW_DB)
  awardflow reindex [--temporal host:port] [--db DSN]  (rebuild the lists from Temporal)
  awardflow verify [--ca ca.pem] FILE.pdf
  awardflow backup [--data ./.awardflow] FILE.tar.gz   (a dev data directory)
  awardflow restore [--data NEW-DIR] FILE.tar.gz
  awardflow s3-export DIR | s3-import DIR   (production backups: the bucket, see --help)
  awardflow hash-password   (reads the password from standard input)

Run "awardflow COMMAND --help" for the flags and environment of a command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log, err := newLogger(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "awardflow:", err)
		os.Exit(2)
	}
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, log); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		if errors.Is(err, errNoDev) {
			fmt.Fprintln(os.Stderr, "awardflow:", err)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "awardflow:", err)
		os.Exit(1)
	}
}

// errNoDev is what `dev` answers in the production build (-tags nodev), which links
// neither the embedded Temporal server nor the embedded S3 server; the command exits 2.
var errNoDev = errors.New("bản dựng này không có lệnh dev, hãy dùng bản dựng đầy đủ / this build has no dev command (built with -tags nodev); use the full build: go run ./cmd/awardflow dev")

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, log *slog.Logger) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	if wantsHelp(args[1:]) {
		// Asked-for help is output, not a diagnostic: every command's flag usage and
		// variable list go to stdout (and the command exits 0).
		stderr = stdout
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "dev":
		return runDev(ctx, rest, stdout, stderr, log)
	case "server":
		return runServer(ctx, rest, stderr, log)
	case "worker":
		return runWorker(ctx, rest, stderr, log)
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr)
	case "reindex":
		return runReindex(ctx, rest, stdout, stderr, log)
	case "verify":
		return runVerify(rest, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, stdout, stderr, log)
	case "restore":
		return runRestore(ctx, rest, stdout, stderr, log)
	case "s3-export", "s3-import":
		return runS3Copy(ctx, cmd, rest, stdout, stderr, log)
	case "hash-password":
		return runHashPassword(stdin, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// wantsHelp reports whether a command's arguments ask for its help (before any "--").
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}
