package httpapi

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/obs"
)

// metrics serves the process's Prometheus series (internal/obs). They carry no personal
// data and no ids (routes are patterns); an operator who exposes the port beyond the
// internal network sets MetricsToken, and the scraper sends it as a bearer token.
func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	if s.MetricsToken != "" {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.MetricsToken)) != 1 {
			s.writeErr(w, r, award.Unauthenticated("Cần mã truy cập số liệu giám sát", "the metrics need their bearer token (AWARDFLOW_METRICS_TOKEN)"))
			return
		}
	}
	obs.Handler().ServeHTTP(w, r)
}
