package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/blobstore"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/internal/store"
	"github.com/awardflow/awardflow/internal/testenv"
	"github.com/awardflow/awardflow/workflows"
)

// lifecycleActivities is testActivities with a real S3 store (MinIO).
func lifecycleActivities(t *testing.T) *Activities {
	t.Helper()
	a, _ := testActivities(t)
	srv := testenv.MinIO(t)
	store, err := blobstore.New(context.Background(), blobstore.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey,
		SecretKey: srv.SecretKey, Bucket: "lifecycle", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	b := *a
	b.Store = store
	return &b
}

func pendingRequest(kind award.DocKind, code string, kindOf award.NomineeKind, n int, signer award.SignerRef) workflows.DocumentRequest {
	id := "session-0123456789abcdef0123456789abcdef." + code
	if kind == award.DocKindSubmission {
		id += ".ttr"
	}
	req := workflows.DocumentRequest{SessionID: "session-0123456789abcdef0123456789abcdef", Year: 2026, Members: 6,
		ContentDate: time.Date(2026, 2, 4, 9, 20, 0, 0, time.UTC),
		Document:    award.PendingDocument{ID: id, Kind: kind, AwardType: code, Revision: 1, Signer: signer}}
	for i := range n {
		it := award.AgendaItem{ProposalID: fmt.Sprintf("proposal-%04d", i), NomineeName: fmt.Sprintf("Nguyễn Thị Hồng Đào %02d", i+1),
			Position: "Chuyên viên", Department: "tt", Kind: kindOf, AwardType: code, MovementID: "vanhoa-2025"}
		if kindOf == award.KindCollective {
			it.NomineeName, it.Position = fmt.Sprintf("Phòng Tuyên truyền %d", i+1), ""
		}
		req.Items = append(req.Items, it)
		req.Counts = append(req.Counts, award.Count{Yes: 5, No: 1})
		req.Document.Awardees = append(req.Document.Awardees, it.ProposalID)
	}
	return req
}

func pdfsigOf(t *testing.T, pdfsig string, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := writeFile(f, pdf); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(pdfsig, f).CombinedOutput()
	return string(out)
}

// Draft → signed → issued, for every variant: both profiles, individual and collective
// decisions, a tờ trình upward, the head and a deputy signing "K/T"/"KT.". The draft is
// marked and unsigned; the signed file has one valid signature and no number; the issued
// file keeps that signature valid, carries the number and date once in the header, and
// the seal signs the whole file.
func TestPendingDocumentFromDraftToIssue(t *testing.T) {
	pdftotext := testenv.RequireTool(t, "pdftotext", "poppler-utils")
	pdfsig := testenv.RequireTool(t, "pdfsig", "poppler-utils")
	base := lifecycleActivities(t)
	head := award.SignerRef{ID: "truongban", Name: "Nguyễn Văn Hùng", Title: "TRƯỞNG BAN"}
	ctx := context.Background()
	for _, profile := range []award.Profile{award.ProfileHD36, award.ProfileND30} {
		prefix := "K/T"
		if profile == award.ProfileND30 {
			prefix = "KT."
		}
		deputy := award.SignerRef{ID: "phoban", Name: "Lê Thị Thu Hà", Title: "PHÓ TRƯỞNG BAN", Prefix: prefix, Body: "TRƯỞNG BAN"}
		for _, c := range []struct {
			name string
			req  workflows.DocumentRequest
			want []string
		}{
			{"individual LĐTT by the head", pendingRequest(award.DocKindDecision, "LDTT", award.KindIndividual, 2, head), []string{"cho 02 cá nhân", "710.000 đồng"}},
			{"collective by the head", pendingRequest(award.DocKindDecision, "TTLDTT", award.KindCollective, 3, head), []string{"cho 03 tập thể", "Tên tập thể"}},
			{"Giấy khen by the deputy", pendingRequest(award.DocKindDecision, "GK", award.KindIndividual, 1, deputy), []string{prefix + " TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Lê Thị Thu Hà"}},
			{"collective Giấy khen", pendingRequest(award.DocKindDecision, "GK", award.KindCollective, 1, head), []string{"cho 01 tập thể", "1.410.000 đồng"}},
			{"tờ trình upward", pendingRequest(award.DocKindSubmission, "TTLDXS", award.KindCollective, 1, head), []string{"TỜ TRÌNH"}},
		} {
			t.Run(string(profile)+"/"+c.name, func(t *testing.T) {
				a := *base
				org := *base.Org.(*orgconfig.Org)
				org.Agency.Profile = profile
				a.Org = &org
				docType := workflows.DocDecision
				if c.req.Document.Kind == award.DocKindSubmission {
					docType = workflows.DocSubmission
				}
				draft, err := a.DraftDocument(ctx, c.req)
				if err != nil {
					t.Fatal(err)
				}
				draftPDF, err := a.Store.ReadAll(ctx, draft.Key)
				if err != nil {
					t.Fatal(err)
				}
				dt := pdfText(t, pdftotext, draftPDF)
				if !strings.Contains(dt, "DỰ THẢO") || strings.Contains(pdfsigOf(t, pdfsig, draftPDF), "Signature #1") {
					t.Errorf("draft not marked or signed:\n%s", dt)
				}
				signed, err := a.SignDocument(ctx, c.req)
				if err != nil {
					t.Fatal(err)
				}
				signedPDF, _ := a.Store.ReadAll(ctx, signed.Ref.Key)
				st := pdfText(t, pdftotext, signedPDF)
				if strings.Contains(st, "DỰ THẢO") || strings.Count(pdfsigOf(t, pdfsig, signedPDF), "Signature is Valid.") != 1 {
					t.Errorf("signed file: %s", pdfsigOf(t, pdfsig, signedPDF))
				}
				number := award.FormatNumber(profile, 7, docType, org.Agency.Code)
				if strings.Contains(st, number) {
					t.Errorf("the signed file carries the number %q before issue", number)
				}
				issue := c.req
				issue.Document.SignedAt = c.req.ContentDate
				issue.Number, issue.Date, issue.Signed = 7, time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC), &signed
				ref, err := a.IssueDocument(ctx, issue)
				if err != nil {
					t.Fatal(err)
				}
				if ref.NumberText != number || !ref.IssuedAt.Equal(issue.Date) {
					t.Errorf("issued ref %+v", ref)
				}
				final, _ := a.Store.ReadAll(ctx, ref.Key)
				ft := pdfText(t, pdftotext, final)
				if strings.Count(ft, number) != 1 || !strings.Contains(ft, "ngày 05 tháng 02 năm 2026") {
					t.Errorf("issued text lacks the number once and the date:\n%s", ft)
				}
				for _, want := range c.want {
					if !strings.Contains(ft, want) {
						t.Errorf("issued text lacks %q:\n%s", want, ft)
					}
				}
				sig := pdfsigOf(t, pdfsig, final)
				if strings.Count(sig, "Signature is Valid.") != 2 || !strings.HasPrefix(string(final), "%PDF-1.7") {
					t.Errorf("issued file signatures:\n%s", sig)
				}
				infos, err := pdfsign.Verify(final, nil)
				if err != nil || len(infos) != 2 || infos[1].Coverage != pdfsign.CoverageWholeFile || infos[0].Coverage != pdfsign.CoverageLaterSignature {
					t.Errorf("coverage: %v %+v", err, infos)
				}
				// The signer (head or deputy) signs with a certificate in their own name.
				who := c.req.Document.Signer.Name
				if len(infos) == 2 && (infos[0].SignerName != who || !strings.Contains(sig, "Signer Certificate Common Name: "+who+"\n")) {
					t.Errorf("signed by %q, want %s's own certificate:\n%s", infos[0].SignerName, who, sig)
				}
			})
		}
	}
}

// The văn thư never seals a signed file that changed in storage after the signer signed
// it: the issue fails for good, and nothing is stored as issued.
func TestIssueRefusesAlteredSignedFile(t *testing.T) {
	a := lifecycleActivities(t)
	ctx := context.Background()
	req := pendingRequest(award.DocKindDecision, "LDTT", award.KindIndividual, 1, award.SignerRef{ID: "truongban", Name: "Nguyễn Văn Hùng", Title: "TRƯỞNG BAN"})
	signed, err := a.SignDocument(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := a.Store.ReadAll(ctx, signed.Ref.Key)
	altered := append([]byte(nil), pdf...)
	altered = append(altered, []byte("\n% appended by someone\n")...)
	if _, err := a.Store.PutBytes(ctx, signed.Ref.Key, altered, "application/pdf"); err != nil {
		t.Fatal(err)
	}
	issue := req
	issue.Number, issue.Date, issue.Signed = 3, time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC), &signed
	_, err = a.IssueDocument(ctx, issue)
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) || ae.Type() != ErrSignedAltered || !ae.NonRetryable() {
		t.Fatalf("issue of an altered file: %v", err)
	}
	if ok, _ := a.Store.Exists(ctx, decisionKey(2026, req.Document.ID)); ok {
		t.Fatal("an issued file was stored from an altered signed file")
	}
}

// The issue activity enters the decision in the award register in the same step that
// stores its file: a retry (the activity ran twice, e.g. the worker died before
// reporting) writes the same bytes and the same row once; the same document id issued
// again under another number is refused for good.
func TestIssueRecordsOnceInTheRegister(t *testing.T) {
	a := lifecycleActivities(t)
	rec, err := store.Open(context.Background(), store.SQLiteDSN(filepath.Join(t.TempDir(), "awardflow.db")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rec.Close() })
	a.Records = rec
	ctx := context.Background()
	req := pendingRequest(award.DocKindDecision, "LDTT", award.KindIndividual, 2, award.SignerRef{ID: "truongban", Name: "Nguyễn Văn Hùng", Title: "TRƯỞNG BAN"})
	req.Items[0].NomineeID = "hongdao"
	signed, err := a.SignDocument(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	issue := req
	issue.Document.SignedAt = req.ContentDate
	issue.Number, issue.Date, issue.Signed, issue.Period = 7, time.Date(2026, 2, 5, 2, 0, 0, 0, time.UTC), &signed, "nk-2025-10-20"
	first, err := a.IssueDocument(ctx, issue)
	if err != nil {
		t.Fatal(err)
	}
	again, err := a.IssueDocument(ctx, issue)
	if err != nil || again.SHA256 != first.SHA256 {
		t.Fatalf("retry: %v, sha %s then %s", err, first.SHA256, again.SHA256)
	}
	d, err := rec.DocumentBySHA(ctx, first.SHA256)
	if err != nil || d.ID != req.Document.ID || d.Number != 7 || d.RegisterPeriod != "nk-2025-10-20" || d.RegisterSeries != "BTGTU/QĐ" || d.SignerID != "truongban" {
		t.Fatalf("register row %+v, %v", d, err)
	}
	full, _ := rec.Document(ctx, req.Document.ID)
	if len(full.Awardees) != 2 || full.Awardees[0].PersonID != "hongdao" || full.Awardees[0].Amount != 710000 || full.Awardees[0].Year != 2025 {
		t.Fatalf("awardees %+v", full.Awardees)
	}
	other := issue
	other.Number = 8
	_, err = a.IssueDocument(ctx, other)
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) || ae.Type() != ErrRegisterConflict || !ae.NonRetryable() {
		t.Fatalf("the same document under another number: %v", err)
	}
	// Nothing was overwritten: the stored file is still the registered one.
	b, _ := a.Store.ReadAll(ctx, first.Key)
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != first.SHA256 {
		t.Fatal("the refused issue overwrote the issued file")
	}
}
