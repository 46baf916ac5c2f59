package store_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/store"
)

func TestDelegations(t *testing.T) {
	forEachDialect(t, func(t *testing.T, env *dbEnv) {
		t.Run("Lifecycle", func(t *testing.T) { testDelegationLifecycle(t, env) })
		t.Run("RacingCreations", func(t *testing.T) { testDelegationRace(t, env) })
		t.Run("RacingChains", func(t *testing.T) { testDelegationChainRace(t, env) })
		t.Run("InboxOfDelegate", func(t *testing.T) { testListAssignedDelegated(t, env) })
	})
}

var (
	delegHead   = award.DelegationParty{ID: "tp-tt", Name: "Phạm Minh Tâm", Department: "tt", Roles: []award.Role{award.RoleHead}, Active: true}
	delegDeputy = award.DelegationParty{ID: "phoban", Name: "Lê Văn Phó", Department: "tt", Roles: []award.Role{award.RoleStaff}, Active: true}
	delegStaff  = award.DelegationParty{ID: "hongdao", Name: "Nguyễn Thị Hồng Đào", Department: "tt", Roles: []award.Role{award.RoleStaff}, Active: true}
	delegToday  = award.NewDate(2026, 12, 1)
)

func delegationCheck(to award.DelegationParty, d award.Delegation) func([]award.Delegation) (award.Delegation, error) {
	return func(existing []award.Delegation) (award.Delegation, error) {
		f := award.DelegationFacts{From: delegHead, To: to, Existing: existing}
		return award.CheckDelegation(f, award.Actor{ID: delegHead.ID, Roles: delegHead.Roles}, d, delegToday)
	}
}

func newDelegation(id string, to award.DelegationParty, start, end award.Date) award.Delegation {
	return award.Delegation{ID: id, FromID: delegHead.ID, ToID: to.ID, Scope: award.DelegationReview, Start: start, End: end,
		Reason: "Nghỉ phép năm", CreatedBy: delegHead.ID, CreatedAt: time.Date(2026, 12, 1, 2, 3, 4, 5000, time.UTC)}
}

// Created once (a repeat returns it, another request under its id is a conflict), live on
// its days only, listed for both people, withdrawn once.
func testDelegationLifecycle(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	d := newDelegation("deleg-1", delegDeputy, delegToday.AddDays(1), delegToday.AddDays(5))
	got, created, err := s.CreateDelegation(c, d, delegToday, delegationCheck(delegDeputy, d))
	must(t, err)
	if !created || got.FromName != delegHead.Name || got.ToName != delegDeputy.Name {
		t.Fatalf("created %v %+v", created, got)
	}
	again, created, err := s.CreateDelegation(c, d, delegToday, delegationCheck(delegDeputy, d))
	must(t, err)
	if created || again.ID != got.ID || !again.CreatedAt.Equal(got.CreatedAt) || again.Reason != got.Reason {
		t.Fatalf("a repeat made another: %v %+v", created, again)
	}
	other := d
	other.End = delegToday.AddDays(6)
	if _, _, err := s.CreateDelegation(c, other, delegToday, delegationCheck(delegDeputy, other)); !strings.Contains(fmt.Sprint(err), "conflicting") {
		t.Fatalf("the id reused for another request: %v", err)
	}
	for day, want := range map[int]int{0: 0, 1: 1, 5: 1, 6: 0} {
		live, err := s.LiveDelegationsTo(c, delegDeputy.ID, delegToday.AddDays(day))
		must(t, err)
		if len(live) != want {
			t.Errorf("day +%d: %d live delegations, want %d", day, len(live), want)
		}
	}
	for _, who := range []string{delegHead.ID, delegDeputy.ID, ""} {
		list, err := s.Delegations(c, who)
		must(t, err)
		if len(list) != 1 || list[0] != got {
			t.Errorf("delegations of %q: %+v, want %+v", who, list, got)
		}
	}
	if list, _ := s.Delegations(c, delegStaff.ID); len(list) != 0 {
		t.Errorf("a stranger's list: %+v", list)
	}
	overlap := newDelegation("deleg-2", delegStaff, delegToday.AddDays(5), delegToday.AddDays(9))
	_, _, err = s.CreateDelegation(c, overlap, delegToday, delegationCheck(delegStaff, overlap))
	wantCode(t, err, award.CodeDuplicate)
	at := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
	check := func(d award.Delegation) error {
		return award.CheckWithdrawDelegation(award.Actor{ID: delegHead.ID}, d, delegToday.AddDays(1))
	}
	w, err := s.WithdrawDelegation(c, "deleg-1", delegHead.ID, at, check)
	must(t, err)
	if !w.WithdrawnAt.Equal(at) || w.WithdrawnBy != delegHead.ID {
		t.Fatalf("withdrawn %+v", w)
	}
	_, err = s.WithdrawDelegation(c, "deleg-1", delegHead.ID, at, check)
	wantCode(t, err, award.CodeWrongStage)
	_, err = s.WithdrawDelegation(c, "nope", delegHead.ID, at, check)
	wantIs(t, err, store.ErrNotFound)
	if live, _ := s.LiveDelegationsTo(c, delegDeputy.ID, delegToday.AddDays(2)); len(live) != 0 {
		t.Fatalf("a withdrawn delegation is live: %+v", live)
	}
	// Withdrawn: the same period can be delegated again.
	_, created, err = s.CreateDelegation(c, overlap, delegToday, delegationCheck(delegStaff, overlap))
	must(t, err)
	if !created {
		t.Fatal("not created after the withdrawal")
	}
}

// Two (and more) racing delegations of the same tasks for overlapping periods: exactly
// one is recorded, every other is refused with a duplicate.
func testDelegationRace(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			to := delegDeputy
			if i%2 == 1 {
				to = delegStaff
			}
			d := newDelegation(fmt.Sprintf("race-%d", i), to, delegToday.AddDays(i%3), delegToday.AddDays(10+i))
			_, _, errs[i] = s.CreateDelegation(c, d, delegToday, delegationCheck(to, d))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantCode(t, err, award.CodeDuplicate)
	}
	list, err := s.Delegations(c, delegHead.ID)
	must(t, err)
	if ok != 1 || len(list) != 1 {
		t.Fatalf("%d racing delegations succeeded, %d recorded: %v", ok, len(list), errs)
	}
}

// The inbox of a delegate: their own rows, and of the delegators' rows only the proposals
// waiting for review (never the delegators' drafts or sessions, nor a proposal the
// delegate filed or is nominated by), against a model.
func testListAssignedDelegated(t *testing.T, env *dbEnv) {
	s := env.open(t)
	r := rand.New(rand.NewPCG(28, 29))
	c := ctx(t)
	var model []store.Projection
	for i := range 150 {
		p := randomProjection(r, fmt.Sprintf("prop-%04d", i), 1)
		if i%4 == 0 {
			p.WorkflowID, p.Kind, p.Title, p.NomineeName = fmt.Sprintf("session-%04d", i), store.KindSession, "Phiên họp "+p.NomineeName, ""
			p.Stage = pick(r, []string{"submitted", "open", "voting", "deciding", "issue_failed"})
		} else if i%7 == 0 {
			p.Stage = "endorsed"
		}
		_, err := s.UpsertProjection(c, p)
		must(t, err)
		model = append(model, normalized(p))
	}
	sawDelegated, sawHidden, sawDeputized, sawHiddenOffice := false, false, false, false
	for _, person := range testPeople {
		for i, from := range [][]string{{pick(r, testPeople)}, {pick(r, testPeople), pick(r, testPeople)}, nil, nil} {
			// Deputized: the secretary's or văn thư's delegators (none for the first two).
			var deputized []string
			if i >= 2 {
				deputized = []string{pick(r, testPeople)}
			}
			f := store.Filter{Assignees: []string{person}, Delegators: from, Deputized: deputized}
			var want []store.Projection
			for _, p := range model {
				mine := slices.Contains(p.Assignees, person)
				theirs := slices.ContainsFunc(from, func(id string) bool { return slices.Contains(p.Assignees, id) })
				review := p.Kind == store.KindProposal && p.Stage == "submitted" && p.Proposer != person && p.NomineeID != person
				deputy := slices.ContainsFunc(deputized, func(id string) bool { return slices.Contains(p.Assignees, id) })
				office := (p.Kind == store.KindSession && p.Stage != "open") || (p.Kind == store.KindProposal && p.Stage == "endorsed")
				if mine || (theirs && review) || (deputy && office) {
					want = append(want, p)
					sawDelegated = sawDelegated || (!mine && theirs)
					sawDeputized = sawDeputized || (!mine && !theirs && deputy)
				}
				sawHidden = sawHidden || (!mine && theirs && !review)
				sawHiddenOffice = sawHiddenOffice || (!mine && deputy && !office)
			}
			slices.SortFunc(want, func(a, b store.Projection) int {
				return cmp.Or(-a.UpdatedAt.Compare(b.UpdatedAt), -strings.Compare(a.WorkflowID, b.WorkflowID))
			})
			res, err := s.ListAssigned(c, f, store.Sort{Field: store.SortUpdated, Desc: true}, store.Page{Limit: 200})
			must(t, err)
			if !slices.Equal(ids(res.Items), ids(want)) {
				t.Errorf("%s for %v:\n got %v\nwant %v", person, from, ids(res.Items), ids(want))
			}
			n, err := s.CountAssigned(c, f)
			must(t, err)
			if n != len(want) {
				t.Errorf("CountAssigned(%s for %v) = %d, want %d", person, from, n, len(want))
			}
		}
	}
	if !sawDelegated || !sawHidden || !sawDeputized || !sawHiddenOffice {
		t.Fatalf("the model never exercised a delegated row (%v), a hidden one (%v), a deputized one (%v) or a hidden office row (%v)",
			sawDelegated, sawHidden, sawDeputized, sawHiddenOffice)
	}
}

// Racing delegations that would make a chain (A→B while B→C) or a pair both away (A→B
// while B→A), of the same scope and days: exactly one is recorded, the other refused —
// the queue covers both people, not only the delegator. Repeated to meet the race.
func testDelegationChainRace(t *testing.T, env *dbEnv) {
	s := env.open(t)
	c := ctx(t)
	clerk := func(id, name string) award.DelegationParty {
		return award.DelegationParty{ID: id, Name: name, Department: "vp", Roles: []award.Role{award.RoleClerk}, Active: true}
	}
	for round := range 6 {
		a, b, x := clerk(fmt.Sprintf("a%d", round), "Văn thư Một"), clerk(fmt.Sprintf("b%d", round), "Văn thư Hai"), clerk(fmt.Sprintf("c%d", round), "Văn thư Ba")
		second := x
		if round%2 == 1 {
			second = a // B→A: both away
		}
		pairs := [][2]award.DelegationParty{{a, b}, {b, second}}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, p := range pairs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := award.Delegation{ID: fmt.Sprintf("chain-%d-%d", round, i), FromID: p[0].ID, ToID: p[1].ID, Scope: award.DelegationClerk,
					Start: delegToday, End: delegToday.AddDays(3), Reason: "Nghỉ phép", CreatedBy: p[0].ID, CreatedAt: time.Now()}
				_, _, errs[i] = s.CreateDelegation(c, d, delegToday, func(existing []award.Delegation) (award.Delegation, error) {
					f := award.DelegationFacts{From: p[0], To: p[1], Existing: existing}
					return award.CheckDelegation(f, award.Actor{ID: p[0].ID, Roles: p[0].Roles}, d, delegToday)
				})
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: racing %v: errors %v (want exactly one recorded)", round, pairs, errs)
		}
	}
}
