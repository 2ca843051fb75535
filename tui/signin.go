package tui

import (
	"context"

	"github.com/byova/byova/screens/auth"
	"github.com/byova/byova/signin"
)

// SignInOptions configure `byova auth login` in a terminal: the wizard of screen 4, drawn
// inline as its own small program.
type SignInOptions = auth.LoginOptions

// PlainSignInOptions configure the wizard's questions as plain prompts (screen readers,
// TERM=dumb, answers piped on stdin).
type PlainSignInOptions = auth.PlainOptions

// RunSignIn runs the sign-in wizard until signed in, or returns why not (errors the words of
// tui/signintext explain). The CLI reaches the wizard through here, as it reaches the screens
// through Run: no command imports a screen.
func RunSignIn(ctx context.Context, o SignInOptions) (signin.Outcome, error) {
	return auth.RunLogin(ctx, o)
}

// RunSignInPlain asks the wizard's questions as plain prompts and signs in.
func RunSignInPlain(ctx context.Context, o PlainSignInOptions) (signin.Outcome, error) {
	return auth.RunPlain(ctx, o)
}
