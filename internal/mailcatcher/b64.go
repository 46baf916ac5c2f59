package mailcatcher

import (
	"encoding/base64"
	"io"
)

func newBase64(r io.Reader) io.Reader { return base64.NewDecoder(base64.StdEncoding, r) }
