package pdfsign

import "errors"

func buildAppearance(w *writer, ap *Appearance, width, height float64, font []byte) (Ref, error) {
	return Ref{}, errors.New("not implemented")
}
