package tui

import (
	"context"

	"github.com/byova/byova/screens/auth"
	"github.com/byova/byova/signin"
)

// PlainSignInOptions configure the wizard's questions as plain prompts (screen readers,
// TERM=dumb, answers piped on stdin).
type PlainSignInOptions = auth.PlainOptions

// RunSignInPlain asks the wizard's questions as plain prompts and signs in. The prompts are
// the wizard's own pages, so they stay beside it in screens/auth.
func RunSignInPlain(ctx context.Context, o PlainSignInOptions) (signin.Outcome, error) {
	return auth.RunPlain(ctx, o)
}
