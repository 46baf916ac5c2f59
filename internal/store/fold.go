package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold reduces text to what search compares: lower case, Vietnamese diacritics removed
// (NFD without combining marks), đ/Đ as d, runs of white space as one space. "Nguyễn Thị
// Hồng Đào" and "nguyen thi hong dao" fold alike. It matches award's own name folding.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ' || r == 'Đ':
			b.WriteByte('d')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// likeContains is a LIKE pattern that matches s anywhere, with LIKE's wildcards in s
// escaped (the queries say ESCAPE '\').
func likeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
