package config

// Mask hides a secret for display: "" stays "", anything shorter than 12 characters becomes
// "••••", longer ones keep their first and last 4 characters ("ZTk1…c2Fh") so a person can tell
// two tokens apart without seeing either.
func Mask(secret string) string {
	r := []rune(secret)
	switch {
	case len(r) == 0:
		return ""
	case len(r) < 12:
		return "••••"
	default:
		return string(r[:4]) + "…" + string(r[len(r)-4:])
	}
}
