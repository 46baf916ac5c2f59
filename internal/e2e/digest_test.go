package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/awardflow/awardflow/internal/award"
	"github.com/awardflow/awardflow/workflows"
)

// contentDigest is the Content-Digest header value (RFC 9530) of b, as the page sends it.
func contentDigest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}

// Issue 12, P3: an upload that states its SHA-256 (Content-Digest) streams straight to
// S3 and is checked there. Through the real API and S3:
//   - stated and right: 201, listed under that hash, downloaded byte for byte, counted
//     as streamed; the same with a chunked body (spooled, then checked);
//   - stated and wrong (damaged on the way, or a lie), raw or chunked: 400 in Vietnamese,
//     the proposal unchanged, no object stored, and a stored file cannot be replaced by
//     naming its hash;
//   - a malformed statement: 400 before a byte is read;
//   - a multipart form's digest covers the form, not the file: not applied to the file;
//   - a retried request (same Idempotency-Key) with a wrong statement: 400, never the
//     first answer.
func TestUploadWithStatedDigest(t *testing.T) {
	d := startDev(t, t.TempDir())
	defer d.Stop()
	staff := login(t, d.URL, "hongdao")
	var p workflows.ProposalView
	must(t, staff.post("/api/v1/proposals", award.Draft{AwardType: "LDTT", MovementID: "vanhoa-2025", Kind: award.KindIndividual,
		NomineeName: "Nguyễn Thị Hồng Đào", NomineePosition: "Chuyên viên", Achievements: "Hoàn thành tốt nhiệm vụ"}), http.StatusCreated, &p)
	upload := "/api/v1/proposals/" + p.ID + "/evidence?filename=B%C3%A1o%20c%C3%A1o.pdf"
	uploads := func(path string) float64 {
		return scrapeMetrics(t, d.URL).Sum("awardflow_evidence_uploads_total", map[string]string{"path": path})
	}
	var up struct {
		Evidence award.Evidence `json:"evidence"`
	}

	file := fakePDF(2<<20 + 3)
	streamed0, spooled0 := uploads("streamed"), uploads("spooled")
	must(t, staff.do(http.MethodPost, upload, bytes.NewReader(file), "Content-Digest", contentDigest(file)), http.StatusCreated, &up)
	sum := sha256.Sum256(file)
	if up.Evidence.SHA256 != hex.EncodeToString(sum[:]) || up.Evidence.Size != int64(len(file)) || up.Evidence.ContentType != "application/pdf" || up.Evidence.Name != "Báo cáo.pdf" {
		t.Fatalf("evidence %+v", up.Evidence)
	}
	if got := uploads("streamed") - streamed0; got != 1 {
		t.Fatalf("streamed uploads rose by %v, want 1", got)
	}
	if dl := staff.get("/api/v1/proposals/" + p.ID + "/evidence/" + up.Evidence.SHA256); dl.Status != http.StatusOK || !bytes.Equal(dl.Body, file) {
		t.Fatalf("download: %d, %d bytes", dl.Status, len(dl.Body))
	}

	// A chunked body with its statement: spooled, hashed, checked.
	chunked := fakePDF(1<<20 + 5)
	must(t, staff.do(http.MethodPost, upload, io.MultiReader(bytes.NewReader(chunked)), "Content-Digest", contentDigest(chunked)), http.StatusCreated, &up)
	if got := uploads("spooled") - spooled0; got != 1 {
		t.Fatalf("spooled uploads rose by %v, want 1", got)
	}

	// Wrong statements store nothing and change nothing.
	damaged := bytes.Clone(file)
	damaged[len(damaged)/2] ^= 0x20
	other := fakePDF(4096)
	must(t, staff.do(http.MethodPost, upload, bytes.NewReader(other), "Idempotency-Key", "up-1"), http.StatusCreated, nil)
	for name, send := range map[string]func() reply{
		"damaged on the way": func() reply {
			return staff.do(http.MethodPost, upload, bytes.NewReader(damaged), "Content-Digest", contentDigest(file))
		},
		"damaged, chunked": func() reply {
			return staff.do(http.MethodPost, upload, io.MultiReader(bytes.NewReader(damaged)), "Content-Digest", contentDigest(file))
		},
		"another file's hash": func() reply {
			return staff.do(http.MethodPost, upload, bytes.NewReader(other), "Content-Digest", contentDigest(file))
		},
		"malformed statement": func() reply {
			return staff.do(http.MethodPost, upload, bytes.NewReader(file), "Content-Digest", "sha-256=:"+hex.EncodeToString(sum[:])+":")
		},
		"retried with a wrong statement": func() reply {
			return staff.do(http.MethodPost, upload, bytes.NewReader(other), "Idempotency-Key", "up-1", "Content-Digest", contentDigest(file))
		},
	} {
		var before workflows.ProposalView
		must(t, staff.get("/api/v1/proposals/"+p.ID), http.StatusOK, &before)
		objects := objectsUnder(t, d.DataDir, p.ID)
		r := send()
		refused(t, name, r, http.StatusBadRequest, "malformed")
		var after workflows.ProposalView
		must(t, staff.get("/api/v1/proposals/"+p.ID), http.StatusOK, &after)
		if len(after.Evidence) != len(before.Evidence) {
			t.Fatalf("%s: the proposal lists %d files, had %d", name, len(after.Evidence), len(before.Evidence))
		}
		if n := objectsUnder(t, d.DataDir, p.ID); n != objects {
			t.Fatalf("%s: %d objects stored, had %d", name, n, objects)
		}
		if name != "malformed statement" && !bytes.Contains(r.Body, []byte("không khớp")) {
			t.Fatalf("%s: the message does not say the file does not match: %s", name, r.Body)
		}
	}
	if dl := staff.get("/api/v1/proposals/" + p.ID + "/evidence/" + hex.EncodeToString(sum[:])); dl.Status != http.StatusOK || !bytes.Equal(dl.Body, file) {
		t.Fatalf("the stored file changed: %d, %d bytes", dl.Status, len(dl.Body))
	}

	// In a multipart form the digest covers the form: the file is stored by its own hash.
	var form bytes.Buffer
	mw := multipartFile(t, &form, "ke-hoach.pdf", other)
	r := staff.do(http.MethodPost, "/api/v1/proposals/"+p.ID+"/evidence", bytes.NewReader(form.Bytes()), "Content-Type", mw, "Content-Digest", contentDigest(form.Bytes()))
	must(t, r, http.StatusCreated, &up)
	if s := sha256.Sum256(other); up.Evidence.SHA256 != hex.EncodeToString(s[:]) {
		t.Fatalf("multipart upload stored as %s", up.Evidence.SHA256)
	}
}

// multipartFile writes a form with one "file" part to buf and returns its Content-Type.
func multipartFile(t *testing.T, buf *bytes.Buffer, name string, content []byte) string {
	t.Helper()
	mw := multipart.NewWriter(buf)
	fw, err := mw.CreateFormFile("file", name)
	if err == nil {
		_, err = fw.Write(content)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType()
}
