package webhooks

import (
	"crypto/rand"
	"encoding/base64"
)

// newSecret draws a webhook secret: 24 random bytes, URL-safe base64 (32 characters), so it
// pastes cleanly into an environment variable or `byova webhooks listen --secret`.
func newSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Secret choices in the forms.
const (
	secretGenerate = "generate"
	secretType     = "type"
	secretNone     = "none"
	secretKeep     = "keep"
)
