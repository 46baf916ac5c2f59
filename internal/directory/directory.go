// Package directory serves the organisation with the directory as the admin edits it in
// the records store: units and people come from the store, the agency profile, the
// catalogue and the rules from the organisation YAML.
//
// Every server and worker keeps the directory in memory and asks the store on each use
// whether it moved (one indexed read of its version), so an edit made through one server
// — a new person, a role given or taken, a deactivation — holds on every server from
// the next request on, without a restart.
package directory

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/orgconfig"
	"github.com/awardflow/awardflow/internal/store"
)

// Live is an orgconfig.Source over the records store.
type Live struct {
	store *store.Store
	base  *orgconfig.Org

	mu      sync.Mutex
	version int64
	cur     *orgconfig.Org
}

// New returns the live organisation of base over st, and makes every directory edit in
// st pass base's rules (orgconfig.Org.CheckDirectory) before it commits.
func New(st *store.Store, base *orgconfig.Org) *Live {
	st.SetDirectoryCheck(func(units []store.Unit, people []store.Person) error {
		d, p := convert(units, people)
		return base.CheckDirectory(d, p)
	})
	return &Live{store: st, base: base}
}

// Current implements orgconfig.Source. The store being unreachable is an
// award.Unavailable error (503): nobody is let in or given work on a stale directory.
func (l *Live) Current(ctx context.Context) (*orgconfig.Org, error) {
	v, err := l.store.DirectoryVersion(ctx)
	if err != nil {
		return nil, unavailable(ctx, err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur != nil && l.version == v {
		return l.cur, nil
	}
	snap, err := l.store.Directory(ctx)
	if err != nil {
		return nil, unavailable(ctx, err)
	}
	// Another edit may have landed between the two reads: the snapshot carries its own
	// version, which is what the copy is good for.
	units, people := convert(snap.Units, snap.People)
	l.cur, l.version = l.base.WithDirectory(units, people), snap.Version
	return l.cur, nil
}

func unavailable(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("directory: %w", ctx.Err())
	}
	return fmt.Errorf("directory: %w: %w", award.Unavailable(5,
		"Tạm thời không đọc được danh bạ cơ quan, vui lòng thử lại", "the directory cannot be read right now; try again"), err)
}

func convert(units []store.Unit, people []store.Person) ([]orgconfig.Department, []orgconfig.Person) {
	ds := make([]orgconfig.Department, 0, len(units))
	for _, u := range units {
		ds = append(ds, orgconfig.Department{ID: u.ID, Name: u.Name, Closed: !u.Active})
	}
	ps := make([]orgconfig.Person, 0, len(people))
	for _, p := range people {
		ps = append(ps, orgconfig.Person{ID: p.ID, Name: p.Name, Position: p.Position, Department: p.UnitID,
			Roles: p.Roles, PasswordHash: p.PasswordHash, Inactive: !p.Active})
	}
	return ds, ps
}

// Drift lists, for the log at start, how the organisation YAML's people and units differ
// from the directory (once seeded, the directory is what counts, and edits to the YAML's
// people are ignored): each entry names an id and what differs. Nil when they agree.
func Drift(ctx context.Context, st *store.Store, yaml *orgconfig.Org) ([]string, error) {
	snap, err := st.Directory(ctx)
	if err != nil {
		return nil, err
	}
	units, people := convert(snap.Units, snap.People)
	var out []string
	byUnit := map[string]orgconfig.Department{}
	for _, u := range units {
		byUnit[u.ID] = u
	}
	for _, d := range yaml.Departments {
		switch u, ok := byUnit[d.ID]; {
		case !ok:
			out = append(out, "unit "+d.ID+": in the YAML, not in the directory")
		case u.Name != d.Name:
			out = append(out, "unit "+d.ID+": name")
		}
	}
	byPerson := map[string]orgconfig.Person{}
	for _, p := range people {
		byPerson[p.ID] = p
	}
	for _, y := range yaml.People {
		p, ok := byPerson[y.ID]
		if !ok {
			out = append(out, "person "+y.ID+": in the YAML, not in the directory")
			continue
		}
		var what []string
		if p.Name != y.Name || p.Position != y.Position {
			what = append(what, "name or position")
		}
		if p.Department != y.Department {
			what = append(what, "unit")
		}
		if !sameRoles(p.Roles, y.Roles) {
			what = append(what, "roles")
		}
		if p.PasswordHash != y.PasswordHash {
			what = append(what, "password")
		}
		if p.Inactive {
			what = append(what, "deactivated")
		}
		if len(what) > 0 {
			out = append(out, "person "+y.ID+": "+strings.Join(what, ", "))
		}
	}
	return out, nil
}

func sameRoles(a, b []award.Role) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
