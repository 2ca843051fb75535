package config

// Mask hides a secret for display: "" stays "", anything shorter than 12 characters becomes
// "••••", and a longer one keeps at most an eighth of its characters on each side (a quarter
// in all), never more than 4 a side: "ZTk1…c2Fh" for 32 characters, "1…2" for 12. A person
// can tell two secrets apart without the mask giving much of either away.
func Mask(secret string) string {
	r := []rune(secret)
	if len(r) == 0 {
		return ""
	}
	if len(r) < 12 {
		return "••••"
	}
	k := min(len(r)/8, 4)
	return string(r[:k]) + "…" + string(r[len(r)-k:])
}
