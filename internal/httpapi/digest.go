package httpapi

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/awardflow/awardflow/internal/award"
)

// statedSHA256 reads the SHA-256 a client states for its request body in a
// Content-Digest header (RFC 9530: a structured-field dictionary such as
// `sha-256=:<base64>:, sha-512=:…:`), as lowercase hex; "" when there is none. Other
// algorithms are ignored, as the RFC allows; a sha-256 member that is not 32 bytes of
// base64 is refused (400), never ignored: the client meant its upload to be checked.
func statedSHA256(h http.Header) (string, error) {
	var sum string
	for _, line := range h.Values("Content-Digest") {
		for _, member := range strings.Split(line, ",") {
			key, value, _ := strings.Cut(strings.TrimSpace(member), "=")
			if strings.ToLower(strings.TrimSpace(key)) != "sha-256" {
				continue
			}
			value, _, _ = strings.Cut(strings.TrimSpace(value), ";") // parameters carry nothing we use
			raw, ok := decodeByteSequence(strings.TrimSpace(value))
			if !ok || len(raw) != 32 {
				return "", award.Malformed(
					"Tiêu đề Content-Digest không hợp lệ: cần dạng sha-256=:<32 byte mã hoá base64>:",
					"malformed Content-Digest: want sha-256=:<32 bytes in base64>:")
			}
			sum = hex.EncodeToString(raw) // the last member wins, as in any dictionary
		}
	}
	return sum, nil
}

// decodeByteSequence decodes a structured-field byte sequence, `:<base64>:`, accepting
// base64 with or without its padding.
func decodeByteSequence(v string) ([]byte, bool) {
	if len(v) < 2 || v[0] != ':' || v[len(v)-1] != ':' {
		return nil, false
	}
	v = v[1 : len(v)-1]
	if raw, err := base64.StdEncoding.DecodeString(v); err == nil {
		return raw, true
	}
	raw, err := base64.RawStdEncoding.DecodeString(v)
	return raw, err == nil
}

// digestMismatch answers an upload whose bytes are not the ones its Content-Digest names.
func digestMismatch() *award.Error {
	return award.Malformed(
		"Nội dung tệp nhận được không khớp với mã SHA-256 gửi kèm (Content-Digest): tệp có thể đã hỏng trên đường truyền. Vui lòng tải lên lại.",
		"the file received does not match its Content-Digest (damaged on the way?); upload it again")
}
