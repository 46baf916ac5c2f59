//go:build !nodev

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/awardflow/awardflow/internal/auth"
	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/settings"
)

func runDev(ctx context.Context, args []string, stdout, stderr io.Writer, log *slog.Logger) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "HTTP listen address")
	data := fs.String("data", "./.awardflow", "data directory (Temporal SQLite, S3 files, development CA)")
	orgFile := fs.String("org", "", "organisation YAML (default: the embedded demo agency)")
	temporalAddr := fs.String("temporal-addr", "127.0.0.1:7233", "embedded Temporal frontend (gRPC) address, for the temporal CLI; empty = a free port")
	s3Addr := fs.String("s3-addr", "", "embedded S3 server address; empty = a free port")
	uiAddr := fs.String("ui-addr", "127.0.0.1:8233", "Temporal web UI address (loopback; it has no sign-in); \"off\" = no UI")
	mailAddr := fs.String("mail-addr", "", "embedded SMTP catcher address (loopback only; the mails show at /dev/mail); empty = a free port")
	proxies := fs.String("trusted-proxies", os.Getenv(settings.EnvTrustedProxies), "comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For names the client (login throttling); empty = the TCP peer is the client (env "+settings.EnvTrustedProxies+")")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "awardflow dev: embedded Temporal (SQLite) + embedded S3 + worker + HTTP API in one process.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var org *orgconfig.Org
	if *orgFile != "" {
		var err error
		if org, err = orgconfig.Load(*orgFile); err != nil {
			return err
		}
	}
	trusted, err := auth.ParseProxies(*proxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	if *uiAddr == "off" {
		*uiAddr = ""
	} else if err := loopbackOnly(*uiAddr); err != nil {
		return fmt.Errorf("--ui-addr: %w", err)
	}
	defer startTracing(ctx, "awardflow-dev", log)()
	log.Info("starting the dev stack", "data", *data)
	sso, err := devOIDC(*addr) // AWARDFLOW_OIDC_*: single sign-on beside the demo passwords
	if err != nil {
		return err
	}
	d, err := devapp.Start(ctx, devapp.Options{Addr: *addr, DataDir: *data, TemporalAddr: *temporalAddr, S3Addr: *s3Addr, MailAddr: *mailAddr,
		UIAddr: *uiAddr, Org: org, Log: log, TrustedProxies: trusted, OIDC: sso})
	if err != nil {
		return err
	}
	defer d.Stop()
	printWelcome(stdout, d, *orgFile == "")
	select {
	case <-ctx.Done():
		log.Info("stopping (Ctrl-C); everything is kept in " + d.DataDir)
	case err := <-d.Done():
		if err != nil {
			return err
		}
	}
	return nil
}

// loopbackOnly refuses a UI address other than the loopback: the UI can terminate and
// signal workflows and has no sign-in.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s is not a loopback address: the Temporal UI has no sign-in", host)
	}
	return nil
}

func printWelcome(w io.Writer, d *devapp.Dev, demo bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nawardflow đang chạy / is running: %s\n", d.URL)
	fmt.Fprintf(&b, "  API:        %s/api/v1/openapi.yaml\n", d.URL)
	fmt.Fprintf(&b, "  Sẵn sàng:   %s/readyz\n", d.URL)
	fmt.Fprintf(&b, "  Temporal:   %s (namespace default)\n", d.Temporal)
	switch {
	case d.UI != "":
		fmt.Fprintf(&b, "  Temporal UI: %s/namespaces/default/workflows (workflows, histories, search attributes)\n", d.UI)
	case d.UIError != nil:
		fmt.Fprintf(&b, "  Temporal UI: không chạy / not running (%v; choose another --ui-addr)\n", d.UIError)
	}
	fmt.Fprintf(&b, "  S3:         http://%s bucket %s (credentials in %s)\n", d.S3.Endpoint, d.S3.Bucket, filepath.Join(d.DataDir, "s3", "credentials.json"))
	fmt.Fprintf(&b, "  Thư / mail: %s/dev/mail (SMTP catcher on %s: nothing leaves this machine)\n", d.URL, d.Mail.Addr())
	fmt.Fprintf(&b, "  Dữ liệu:    %s\n", d.DataDir)
	fmt.Fprintf(&b, "  Lưu trữ:    %s (closed workflows' histories, kept after the retention: temporal workflow show --run-id)\n", d.Archive)
	fmt.Fprintf(&b, "  CA ký số:   %s (development CA: import it to trust the signed PDFs)\n", d.CAFile)
	if demo {
		fmt.Fprintf(&b, "\nTài khoản thử (mật khẩu / password: %s):\n", orgconfig.DemoPassword)
		for _, p := range d.Org.People {
			roles := make([]string, len(p.Roles))
			for i, r := range p.Roles {
				roles[i] = string(r)
			}
			fmt.Fprintf(&b, "  %-10s %-24s %-6s %s\n", p.ID, p.Name, p.Department, strings.Join(roles, ","))
		}
	}
	fmt.Fprintf(&b, "\nĐăng nhập / sign in:\n  curl -s %s/api/v1/login -d '{\"username\":\"hongdao\",\"password\":\"%s\"}'\n", d.URL, orgconfig.DemoPassword)
	fmt.Fprintln(&b, "\nCtrl-C để dừng / to stop.")
	fmt.Fprint(w, b.String())
}
