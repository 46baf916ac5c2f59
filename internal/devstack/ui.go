package devstack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uioptions "github.com/temporalio/ui-server/v2/server/server_options"
)

// UI is the Temporal web UI (the one the Temporal CLI's start-dev embeds) served against
// the embedded Temporal server: every proposal and session workflow, its history, search
// attributes and memo, readable in a browser. Dev only: it can terminate, signal and
// reset workflows, with no sign-in.
type UI struct {
	URL string
	srv *uiserver.Server
}

// StartUI serves the UI on addr ("127.0.0.1:8233" as the Temporal CLI does) for the
// frontend at temporalHostPort. The ui-server binds the port itself and exits the
// process when it cannot, so the address is tried first: a port in use is an error
// here, not the end of dev.
func StartUI(ctx context.Context, addr, temporalHostPort, namespace string) (*UI, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("devstack: Temporal UI address %q: %w", addr, err)
	}
	if portText == "0" {
		ln, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
		if err != nil {
			return nil, fmt.Errorf("devstack: Temporal UI: %w", err)
		}
		portText = strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		_ = ln.Close()
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return nil, fmt.Errorf("devstack: Temporal UI port %q: %w", portText, err)
	}
	addr = net.JoinHostPort(host, portText)
	if ln, err := net.Listen("tcp", addr); err != nil {
		return nil, fmt.Errorf("devstack: Temporal UI on %s: %w", addr, err)
	} else {
		_ = ln.Close()
	}
	cfg := &uiconfig.Config{
		Host: host, Port: port, TemporalGRPCAddress: temporalHostPort, EnableUI: true,
		DefaultNamespace: namespace, HideLogs: true, DisableNewsFetch: true, // nothing leaves this machine
		CORS:         uiconfig.CORS{CookieInsecure: true}, // plain HTTP on the loopback
		Distribution: "awardflow-dev",
	}
	u := &UI{URL: "http://" + addr, srv: uiserver.NewServer(uioptions.WithConfigProvider(cfg))}
	go func() { _ = u.srv.Start() }()
	// Ready when its health route answers.
	deadline := time.Now().Add(10 * time.Second)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u.URL+"/healthz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return u, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			u.Stop()
			return nil, errors.Join(fmt.Errorf("devstack: Temporal UI on %s did not start", addr), err, ctx.Err())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop closes the UI server.
func (u *UI) Stop() {
	if u != nil && u.srv != nil {
		u.srv.Stop()
	}
}
