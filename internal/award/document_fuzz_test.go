package award_test

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/awardflow/awardflow/activities"
	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/pdfsign"
	"github.com/awardflow/awardflow/templates"
	"github.com/awardflow/awardflow/workflows"
)

// The class behind "poison input stalls a session": text accepted when it is entered
// must print. Every input the entry checks accept yields a decision, minutes and a
// submission that render and whose signatures verify, in both document profiles; every
// input they refuse is refused with a 422 that names the character.

var (
	docOnce  sync.Once
	docActs  map[award.Profile]*activities.Activities
	docRoots *x509.CertPool
	docErr   error
)

func documentActivities(tb testing.TB) (map[award.Profile]*activities.Activities, *x509.CertPool) {
	tb.Helper()
	docOnce.Do(func() {
		dir := filepath.Join(tb.TempDir(), "pki")
		docActs = map[award.Profile]*activities.Activities{}
		for _, prof := range []award.Profile{award.ProfileHD36, award.ProfileND30} {
			org, err := orgconfig.Demo()
			if err != nil {
				docErr = err
				return
			}
			org.Agency.Profile = prof
			signer, ca, err := pdfsign.EnsureDevCA(dir, org.Agency.FullName)
			if err != nil {
				docErr = err
				return
			}
			docRoots = x509.NewCertPool()
			docRoots.AddCert(ca)
			docActs[prof] = &activities.Activities{Org: org, Signer: signer, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		}
	})
	if docErr != nil {
		tb.Fatal(docErr)
	}
	return docActs, docRoots
}

// enter runs the entry checks a proposal and a session title go through.
func enter(name, position, achievements, title string) (award.Draft, string, error) {
	d := award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual, NomineeName: name,
		NomineePosition: position, Achievements: achievements, Department: "tt"}
	staff := award.Actor{ID: "hongdao", Name: "Nguyễn Thị Hồng Đào", Department: "tt", Roles: []award.Role{award.RoleStaff}}
	p, err := award.NewProposal("proposal-0001", d, staff, "rs", time.Now())
	if err != nil {
		return d, "", err
	}
	title, err = award.CleanLine(award.FieldSessionTitle, title)
	if err == nil && title == "" {
		title = "Phiên họp"
	}
	return p.Draft, title, err
}

// issueAll renders and signs every document the text reaches, and verifies them.
func issueAll(t *testing.T, d award.Draft, title string) {
	t.Helper()
	acts, roots := documentActivities(t)
	ctx := context.Background()
	date := time.Date(2026, 2, 5, 2, 30, 0, 0, time.UTC)
	item := award.AgendaItem{ProposalID: "proposal-0001", NomineeName: d.NomineeName, Position: d.NomineePosition,
		Department: d.Department, Kind: d.Kind, AwardType: "LDTT", MovementID: d.MovementID}
	verify := func(what string, pdf []byte) {
		t.Helper()
		sigs, err := pdfsign.Verify(pdf, roots)
		if err != nil || len(sigs) == 0 {
			t.Fatalf("%s for %q: %v", what, d.NomineeName, err)
		}
		for _, s := range sigs {
			if !s.Intact || !s.Chained {
				t.Fatalf("%s for %q: signature not valid: %+v", what, d.NomineeName, s)
			}
		}
	}
	sign := func(org *orgconfig.Org, signer pdfsign.Signer, pdf []byte) []byte {
		t.Helper()
		out, err := pdfsign.Sign(ctx, pdf, signer, pdfsign.Options{Name: "Nguyễn Văn Hùng", Time: date, Font: templates.SignatureFont()})
		if err != nil {
			t.Fatalf("sign: %v", err)
		}
		return out
	}
	// One profile per input (by its length), so the corpus covers both at half the cost.
	prof := award.ProfileHD36
	if len(d.NomineeName+title)%2 == 1 {
		prof = award.ProfileND30
	}
	{
		a := acts[prof]
		pdf, _, err := a.SignedDecision(ctx, workflows.DecisionRequest{ID: "session-1.LDTT", SessionID: "session-1", AwardType: "LDTT",
			Number: 3, Year: 2026, Date: date, Awardees: []award.AgendaItem{item}})
		if err != nil {
			t.Fatalf("%s decision for accepted %q / %q: %v", prof, d.NomineeName, d.NomineePosition, err)
		}
		verify(string(prof)+" decision", pdf)

		s := award.Session{ID: "session-1", Title: title, Status: award.SessionDone, OpenedAt: date, ClosedAt: date,
			Members: []award.Member{{ID: "truongban", Name: "Nguyễn Văn Hùng", Title: "Trưởng Ban", Role: award.RoleChair, Votes: true},
				{ID: "thuky", Name: "Huỳnh Thị Mỹ Linh", Title: "Chuyên viên", Role: award.RoleSecretary}},
			Voted: []string{"truongban"}, Agenda: []award.AgendaItem{item},
			Counts:  map[string]award.Count{item.ProposalID: {Yes: 1}},
			Results: map[string]award.Result{item.ProposalID: {Passed: true, Reason: "đạt"}},
			Rules:   map[string]award.VoteRule{"LDTT": {Quorum: award.Ratio{Num: 1, Den: 2}, Pass: award.Ratio{Num: 1, Den: 2}, Base: award.BaseMembers}},
		}
		m := activities.MinutesDocument(a.Org.(*orgconfig.Org), workflows.MinutesRequest{Session: s, Number: 2, Date: date})
		r, err := templates.RenderMinutes(m, templates.RenderOptions{CreationDate: date})
		if err != nil {
			t.Fatalf("%s minutes for accepted title %q / nominee %q: %v", prof, title, d.NomineeName, err)
		}
		verify(string(prof)+" minutes", sign(a.Org.(*orgconfig.Org), a.Signer, r.PDF))

		up := item
		up.AwardType, up.Kind = "TTLDXS", award.KindCollective
		sub, err := activities.SubmissionDocument(a.Org.(*orgconfig.Org), workflows.SubmissionRequest{ID: "session-1.TTLDXS.ttr", SessionID: "session-1",
			AwardType: "TTLDXS", Number: 1, Year: 2026, Date: date, Items: []award.AgendaItem{up}, Counts: []award.Count{{Yes: 1}}, Members: 1})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := templates.RenderSubmission(sub, templates.RenderOptions{CreationDate: date})
		if err != nil {
			t.Fatalf("%s submission for accepted %q: %v", prof, d.NomineeName, err)
		}
		verify(string(prof)+" submission", sign(a.Org.(*orgconfig.Org), a.Signer, rs.PDF))
	}
}

func checkRefusal(t *testing.T, err error) {
	t.Helper()
	var e *award.Error
	if !errors.As(err, &e) || e.Code != award.CodeInvalid || e.VI == "" || e.EN == "" {
		t.Fatalf("refusal is not a 422 with a message: %v", err)
	}
}

var docSeeds = []string{
	"Nguyễn Thị Hồng Đào", norm.NFD.String("Trần Quốc Bảo"), norm.NFD.String("Võ Thị Ngọc Hân – Phòng Khoa giáo"),
	"Đào 😀", "محمد علي", "\x00", "A\x00B", "\ufeffLê Quốc Cường", "a\u0301\u0323", "x\u0323\u0301", "e\u0302\u0301",
	"\u202eĐặng Văn Sơn", "Sơn\u2067", "中文", "Ꙭ", "Ǆ", "ǅ", "ß", "ﬁ", "Trương\tThị", "Kim\nNgân", "\u00a0", "   ", "ĳ",
	strings.Repeat("Đ", 200), "I\u0307", "\u0130stanbul", "Σίσυφος", "Ωmega", "Ѐ", "₫ 1.000.000", "№ 5", "\u2028",
}

// FuzzEnteredTextPrints: go test -fuzz FuzzEnteredTextPrints ./internal/award explores
// further; the seeds run in the normal test command.
func FuzzEnteredTextPrints(f *testing.F) {
	for _, s := range docSeeds {
		f.Add(s, "Chuyên viên", s)
	}
	f.Fuzz(func(t *testing.T, name, position, title string) {
		d, cleanTitle, err := enter(name, position, "Hoàn thành xuất sắc nhiệm vụ", title)
		if err != nil {
			checkRefusal(t, err)
			return
		}
		issueAll(t, d, cleanTitle)
	})
}

// Decomposed Vietnamese (NFD, as macOS and some keyboards send it) is always accepted,
// comes out as NFC, and prints.
func TestDecomposedVietnameseAccepted(t *testing.T) {
	consonants := []rune("bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX")
	vowels := []rune("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
	tones := []string{"", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 60 {
		var b strings.Builder
		for w := range 2 + rng.IntN(3) {
			if w > 0 {
				b.WriteByte(' ')
			}
			for range 1 + rng.IntN(3) { // a syllable: consonant, vowel with a tone
				b.WriteRune(consonants[rng.IntN(len(consonants))])
				b.WriteRune(vowels[rng.IntN(len(vowels))])
				b.WriteString(tones[rng.IntN(len(tones))])
			}
		}
		want := norm.NFC.String(b.String())
		nfd := norm.NFD.String(want)
		d, title, err := enter(nfd, nfd, nfd, nfd)
		if err != nil {
			t.Fatalf("decomposed Vietnamese %q refused: %v", want, err)
		}
		if d.NomineeName != want || title != want {
			t.Fatalf("%q kept as %q / %q, want NFC", nfd, d.NomineeName, title)
		}
		if i%20 < 2 { // rendering is the slow part: a sample of them, both profiles
			issueAll(t, d, title)
		}
	}
}
