package cli

import "context"

func (a *app) runUI(ctx context.Context) error {
	return usagef("the terminal UI is not part of this build yet; use the commands (byova --help)")
}
