//go:build !unix

package store

import (
	"context"
	"database/sql"
	"sync"
)

var sqliteMigrations sync.Mutex

// lockSQLiteMigrations serialises migrations within this process only: elsewhere than
// Unix there is no flock.
func lockSQLiteMigrations(context.Context, *sql.DB) (func(), error) {
	sqliteMigrations.Lock()
	return sqliteMigrations.Unlock, nil
}
