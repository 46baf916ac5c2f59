package award

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// Idempotency keys (the HTTP Idempotency-Key header) follow the IETF Idempotency-Key
// draft: a key belongs to one caller, one route and one target, and names one request.
// Repeating the request with the same key returns the first answer; the same key with a
// different request is refused (422), never answered with the first request's success.

// IdempotencyScope hashes a key with what it is scoped to. Two callers, two routes or
// two targets never share a scope, whatever keys they choose.
func IdempotencyScope(caller, route, target, key string) string {
	return digest(caller, route, target, key)[:32]
}

// Fingerprint is the SHA-256 of a canonical encoding of a request: its parts, each
// length-prefixed so that no two different part lists encode alike.
func Fingerprint(parts ...string) string { return digest(parts...) }

func digest(parts ...string) string {
	h := sha256.New()
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// KeyReused is the refusal of a key already used for a different request.
func KeyReused() *Error {
	return Invalid("Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới",
		"this Idempotency-Key was already used for a different request; use a new key for a new request")
}
