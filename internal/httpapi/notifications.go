package httpapi

import (
	"net/http"
	"net/mail"
	"strconv"
	"strings"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/internal/notify"
	"github.com/awardflow/awardflow/internal/store"
)

// The bell: each person reads and marks only their own notifications (internal/notify,
// written by the records store with the projection and by the deadline check), and sets
// how they are mailed.

func (s *Server) notificationsStore() (*store.Store, error) {
	if s.Records == nil {
		return nil, award.Unavailable(0, "Thông báo cần cơ sở dữ liệu hồ sơ, chưa được cấu hình", "notifications need the records store, which is not configured")
	}
	return s.Records, nil
}

type notificationsAnswer struct {
	Items  []notificationOut `json:"items"`
	Unread int               `json:"unread"`
}

type notificationOut struct {
	store.Notification
	KindLabel string `json:"kind_label"`
}

// listNotifications: GET /api/v1/notifications?limit=N — the caller's latest (newest
// first) and their unread count.
func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.notificationsStore()
	if err != nil {
		return err
	}
	limit := 50
	for k := range r.URL.Query() {
		if k != "limit" {
			return award.Invalid("Tham số “%s” không được hỗ trợ", "unknown parameter %q", k)
		}
	}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return award.Invalid("limit phải từ 1 đến 200 (nhận “%s”)", "limit must be 1 to 200 (got %q)", v)
		}
		limit = n
	}
	items, unread, err := st.Notifications(r.Context(), a.ID, limit)
	if err != nil {
		return err
	}
	out := notificationsAnswer{Items: make([]notificationOut, 0, len(items)), Unread: unread}
	for _, n := range items {
		out.Items = append(out.Items, notificationOut{Notification: n, KindLabel: notify.KindLabel(n.Kind)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// readNotifications: POST /api/v1/notifications/read {"ids": [...]} — marks the
// caller's notifications read (all of them without ids); others' ids are ignored.
func (s *Server) readNotifications(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.notificationsStore()
	if err != nil {
		return err
	}
	var req struct {
		IDs []string `json:"ids"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if len(req.IDs) > 200 {
		return award.Invalid("Tối đa %d thông báo một lần", "at most %d notifications at once", 200)
	}
	n, err := st.MarkNotificationsRead(r.Context(), a.ID, req.IDs, s.Now())
	if err != nil {
		return err
	}
	_, unread, err := st.Notifications(r.Context(), a.ID, 1)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"marked": n, "unread": unread})
	return nil
}

// getNotificationPrefs: GET /api/v1/notifications/preferences.
func (s *Server) getNotificationPrefs(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.notificationsStore()
	if err != nil {
		return err
	}
	p, err := st.NotificationPrefsOf(r.Context(), a.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

// putNotificationPrefs: PUT /api/v1/notifications/preferences {"email", "digest"} —
// the caller's own address (” for the default) and daily digest or each event at once.
func (s *Server) putNotificationPrefs(w http.ResponseWriter, r *http.Request, a award.Actor) error {
	st, err := s.notificationsStore()
	if err != nil {
		return err
	}
	var p store.NotificationPrefs
	if err := decode(w, r, &p); err != nil {
		return err
	}
	p.Email = strings.TrimSpace(p.Email)
	if p.Email != "" {
		addr, err := mail.ParseAddress(p.Email)
		if err != nil || len(p.Email) > 254 || strings.ContainsAny(p.Email, "\r\n") {
			return award.Invalid("Địa chỉ thư điện tử “%s” không hợp lệ", "invalid e-mail address %q", p.Email)
		}
		p.Email = addr.Address
	}
	p.PersonID = a.ID
	if err := st.SetNotificationPrefs(r.Context(), p, s.Now()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}
