// Command temporal-server is the Temporal server process of the production topology test
// (internal/e2e TestProductionTopology). It runs go.temporal.io/server at the version
// go.mod pins — the code of the temporalio/server image docker-compose.yml uses — and is
// configured the same way:
//
//	temporal-server start         like the image's entrypoint: the server's embedded config
//	                              template filled from the environment (DB=postgres12,
//	                              POSTGRES_SEEDS, DB_PORT, POSTGRES_USER, POSTGRES_PWD,
//	                              NUM_HISTORY_SHARDS, BIND_ON_IP, *_GRPC_PORT,
//	                              *_MEMBERSHIP_PORT, DYNAMIC_CONFIG_FILE_PATH, …), or the
//	                              file TEMPORAL_SERVER_CONFIG_FILE_PATH names (e.g.
//	                              scripts/compose/temporal-s3-archival.yaml); it stops on
//	                              SIGINT or SIGTERM
//	temporal-server setup-schema  what the compose one-shot temporal-schema does with
//	                              temporal-sql-tool: create the databases temporal and
//	                              temporal_visibility on PostgreSQL (same environment) and
//	                              load the schema this server release ships, at its version
//
// Temporal's own mains (cmd/server, cmd/tools/sql) need github.com/urfave/cli, which this
// module does not carry; this one calls the same server packages without it. It is built
// by the test only and shipped nowhere.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"

	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/metrics"
	"go.temporal.io/server/common/persistence"
	"go.temporal.io/server/common/persistence/sql"
	"go.temporal.io/server/common/persistence/sql/sqlplugin"
	_ "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql" // the postgres12 plugin
	"go.temporal.io/server/common/resolver"
	dbschemas "go.temporal.io/server/schema"
	pgschema "go.temporal.io/server/schema/postgresql/v12"
	"go.temporal.io/server/temporal"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: temporal-server start | setup-schema")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "start":
		err = start()
	case "setup-schema":
		err = setupSchema()
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "temporal-server:", err)
		os.Exit(1)
	}
}

func start() error {
	var cfg *config.Config
	var err error
	if file := os.Getenv(config.EnvKeyConfigFile); file != "" {
		cfg, err = config.Load(config.WithConfigFile(file))
	} else {
		cfg, err = config.Load(config.WithEmbedded())
	}
	if err != nil {
		return fmt.Errorf("load the configuration: %w", err)
	}
	logger := log.NewZapLogger(log.BuildZapLogger(cfg.Log))
	authorizer, err := authorization.GetAuthorizerFromConfig(&cfg.Global.Authorization)
	if err != nil {
		return fmt.Errorf("authorizer: %w", err)
	}
	claimMapper, err := authorization.GetClaimMapperFromConfig(&cfg.Global.Authorization, logger)
	if err != nil {
		return fmt.Errorf("claim mapper: %w", err)
	}
	s, err := temporal.NewServer(
		temporal.ForServices(temporal.DefaultServices),
		temporal.WithConfig(cfg),
		temporal.WithLogger(logger),
		temporal.InterruptOn(temporal.InterruptCh()),
		temporal.WithAuthorizer(authorizer),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return claimMapper }),
	)
	if err != nil {
		return fmt.Errorf("create the server: %w", err)
	}
	// Blocks until SIGINT or SIGTERM, then stops every service.
	if err := s.Start(); err != nil {
		return fmt.Errorf("start the server: %w", err)
	}
	return nil
}

// setupSchema creates Temporal's two databases and loads their schema (schema.sql of
// the PostgreSQL v12 schema embedded in the server module, which is its latest version),
// recording that version as temporal-sql-tool's setup-schema does. A database that
// already has a schema version is left alone.
func setupSchema() error {
	base := config.SQL{
		PluginName:      "postgres12",
		ConnectAddr:     os.Getenv("POSTGRES_SEEDS") + ":" + envOr("DB_PORT", "5432"),
		ConnectProtocol: "tcp",
		User:            os.Getenv("POSTGRES_USER"),
		Password:        os.Getenv("POSTGRES_PWD"),
	}
	for _, db := range []struct{ name, dir, version string }{
		{envOr("DBNAME", "temporal"), "temporal", pgschema.Version},
		{envOr("VISIBILITY_DBNAME", "temporal_visibility"), "visibility", pgschema.VisibilityVersion},
	} {
		admin := base
		admin.DatabaseName = "postgres"
		if err := withAdmin(&admin, func(a sqlplugin.AdminDB) error { return a.CreateDatabase(db.name) }); err != nil {
			return fmt.Errorf("create database %s: %w", db.name, err)
		}
		cfg := base
		cfg.DatabaseName = db.name
		err := withAdmin(&cfg, func(a sqlplugin.AdminDB) error {
			if err := a.CreateSchemaVersionTables(); err != nil {
				return fmt.Errorf("version tables: %w", err)
			}
			if v, err := a.ReadSchemaVersion(db.name); err == nil && v != "" && v != "0.0" {
				fmt.Printf("%s: schema version %s already\n", db.name, v)
				return nil
			}
			file := path.Join("postgresql", "v12", db.dir, "schema.sql")
			b, err := fs.ReadFile(dbschemas.Assets(), file)
			if err != nil {
				return err
			}
			stmts, err := persistence.LoadAndSplitQueryFromReaders([]io.Reader{bytes.NewReader(b)})
			if err != nil {
				return fmt.Errorf("parse %s: %w", file, err)
			}
			for _, stmt := range stmts {
				if err := a.Exec(stmt); err != nil {
					return fmt.Errorf("%s: %w", file, err)
				}
			}
			if err := a.UpdateSchemaVersion(db.name, db.version, db.version); err != nil {
				return err
			}
			if err := a.WriteSchemaUpdateLog("0", db.version, "", "initial version"); err != nil {
				return err
			}
			fmt.Printf("%s: schema version %s\n", db.name, db.version)
			return nil
		})
		if err != nil {
			return fmt.Errorf("schema of %s: %w", db.name, err)
		}
	}
	return nil
}

func withAdmin(cfg *config.SQL, f func(sqlplugin.AdminDB) error) error {
	a, err := sql.NewSQLAdminDB(sqlplugin.DbKindUnknown, cfg, resolver.NewNoopResolver(), log.NewCLILogger(), metrics.NoopMetricsHandler)
	if err != nil {
		return err
	}
	return errors.Join(f(a), a.Close())
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
