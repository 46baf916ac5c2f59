//go:build unix

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockSQLiteMigrations serialises migrations of one SQLite file across processes (goose
// has no locker for SQLite): an exclusive flock on <file>.migrate-lock, which the kernel
// releases if the process dies. It returns the unlock function.
func lockSQLiteMigrations(ctx context.Context, db *sql.DB) (func(), error) {
	path, err := sqliteFile(ctx, db)
	if err != nil || path == "" { // in-memory: nobody else can see it
		return func() {}, err
	}
	f, err := os.OpenFile(path+".migrate-lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("migration lock %s: %w", f.Name(), err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("wait for the migration lock %s: %w", f.Name(), ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
