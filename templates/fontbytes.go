package templates

// SignatureFont returns a fresh copy of Liberation Serif Regular, for drawing the text of
// visible signature appearances (pdfsign embeds a subset of it).
func SignatureFont() []byte {
	b, err := fontFS.ReadFile("fonts/LiberationSerif-Regular.ttf")
	if err != nil {
		panic("templates: embedded font missing: " + err.Error()) // the build embeds it
	}
	return b
}
