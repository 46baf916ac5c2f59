package award

import "fmt"

// Profile is the document format an agency follows.
type Profile string

const (
	// ProfileND30 is Nghị định 30/2020/NĐ-CP (state bodies).
	ProfileND30 Profile = "ND30"
	// ProfileHD36 is Hướng dẫn 36-HD/VPTW (Party bodies).
	ProfileHD36 Profile = "HD36"
)

// Valid reports whether p is a known profile.
func (p Profile) Valid() bool { return p == ProfileND30 || p == ProfileHD36 }

// FormatNumber writes a document's number and code the way each profile requires:
// NĐ30 "Số: 05/QĐ-UBND", HD36 "Số 05-QĐ/BTGTU". Numbers below 10 get a leading zero
// (NĐ30 Phụ lục I; HD36 follows the same practice). docType is the abbreviation of the
// document type ("QĐ" decision, "BB" minutes, "TTr" submission); issuer the agency code.
func FormatNumber(p Profile, seq int, docType, issuer string) string {
	n := fmt.Sprintf("%02d", seq)
	if p == ProfileHD36 {
		return fmt.Sprintf("Số %s-%s/%s", n, docType, issuer)
	}
	return fmt.Sprintf("Số: %s/%s-%s", n, docType, issuer)
}
