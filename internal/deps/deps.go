// Package deps pins the modules the project builds on until the real code imports them.
// Delete it once every import below is used elsewhere.
package deps

import (
	_ "github.com/jung-kurt/gofpdf"
	_ "github.com/minio/minio-go/v7"
	_ "github.com/smallstep/pkcs7"
	_ "github.com/versity/versitygw/backend/posix"
	_ "github.com/versity/versitygw/embedgw"
	_ "go.temporal.io/api/operatorservice/v1"
	_ "go.temporal.io/sdk/client"
	_ "go.temporal.io/sdk/testsuite"
	_ "go.temporal.io/sdk/worker"
	_ "go.temporal.io/sdk/workflow"
	_ "go.temporal.io/server/schema/sqlite"
	_ "go.temporal.io/server/temporal"
	_ "go.temporal.io/server/temporaltest"
	_ "golang.org/x/crypto/bcrypt"
	_ "gopkg.in/yaml.v3"
)
