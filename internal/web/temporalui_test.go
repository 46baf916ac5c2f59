package web_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/awardflow/awardflow/internal/devapp"
	"github.com/awardflow/awardflow/internal/devapp/devapptest"
	"github.com/awardflow/awardflow/workflows"
)

// TestBrowserTemporalUI: dev serves the Temporal web UI against its embedded server;
// in headless Chromium the workflow list shows a proposal just filed, and its page shows
// the workflow's search attributes (the stage awardflow publishes).
func TestBrowserTemporalUI(t *testing.T) {
	d := devapptest.Start(t, devapp.Options{UIAddr: "127.0.0.1:0"})
	if d.UI == "" {
		t.Fatalf("the Temporal UI did not start: %v", d.UIError)
	}
	id := fileSubmitted(t, d.URL, "hongdao", "Nguyễn Thị Hồng Đào")

	p := newPage(t, d.UI)
	p.do("open the workflow list", chromedp.Navigate(d.UI+"/namespaces/default/workflows"))
	has := `(want) => document.body.innerText.includes(want) ? "ok" : ""`
	p.poll("the proposal in the UI's workflow list", has, id)
	p.do("open the proposal's workflow", chromedp.Navigate(d.UI+"/namespaces/default/workflows/"+id))
	p.poll("its workflow type", has, workflows.ProposalWorkflowName)
	p.poll("open its search attributes", `() => {
		const tab = [...document.querySelectorAll("a")].find(a => a.textContent.trim().startsWith("Search Attributes"));
		if (!tab) return "";
		tab.click();
		return "ok"; }`)
	p.poll("the stage awardflow publishes", `(name, value) => {
		const text = document.body.innerText;
		return text.includes(name) && text.includes(value) ? "ok" : ""; }`, workflows.SAStage.GetName(), "submitted")
	if dir := os.Getenv(EnvScreenshots); dir != "" {
		buf, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
		if err == nil {
			_ = os.MkdirAll(dir, 0o755)
			err = os.WriteFile(filepath.Join(dir, "temporal-ui.png"), buf, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}
