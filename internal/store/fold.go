package store

import (
	"strings"

	"github.com/awardflow/awardflow/internal/award"
)

// Fold reduces text to what search compares: lower case, Vietnamese diacritics removed
// (NFD without combining marks), đ/Đ as d, runs of white space as one space. "Nguyễn Thị
// Hồng Đào" and "nguyen thi hong dao" fold alike. It is award.FoldName,
// the folding the nominee matching uses.
func Fold(s string) string { return award.FoldName(s) }

// likeContains is a LIKE pattern that matches s anywhere, with LIKE's wildcards in s
// escaped (the queries say ESCAPE '\').
func likeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}
