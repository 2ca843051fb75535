package format

import (
	"testing"
	"time"
)

func TestRemaining(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0s"},
		{0, "0s"},
		{300 * time.Millisecond, "1s"},
		{42 * time.Second, "42s"},
		{9*time.Minute + 5*time.Second, "9m05s"},
		{10*time.Minute - time.Millisecond, "10m00s"},
		{10 * time.Minute, "10m"},
		{24*time.Minute + 58*time.Second, "24m"},
		{time.Hour + 24*time.Minute + 58*time.Second, "1h24m"},
		{time.Hour + 5*time.Minute, "1h05m"},
		{24*time.Hour - time.Second, "23h59m"},
	} {
		if got := Remaining(tt.d); got != tt.want {
			t.Errorf("Remaining(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestWarnBand(t *testing.T) {
	const window = time.Hour
	for _, tt := range []struct {
		name           string
		left, lifetime time.Duration
		want           bool
	}{
		{"60-minute token just renewed", 59*time.Minute + 50*time.Second, time.Hour, false},
		{"60-minute token half gone", 29 * time.Minute, time.Hour, true},
		{"24h token with 59m left", 59 * time.Minute, 24 * time.Hour, true},
		{"24h token with 61m left", 61 * time.Minute, 24 * time.Hour, false},
		{"unknown lifetime", 30 * time.Minute, 0, true},
		{"10-minute token", 6 * time.Minute, 10 * time.Minute, false},
		{"10-minute token late", 4 * time.Minute, 10 * time.Minute, true},
		{"expired", 0, time.Hour, false},
	} {
		if got := InWarnBand(tt.left, tt.lifetime, window); got != tt.want {
			t.Errorf("%s: InWarnBand = %v, want %v", tt.name, got, tt.want)
		}
	}
}
