// Package serve is `byova serve`: one long-running process holding the SSH console (the TUI per
// key-authenticated user), the token keeper, the webhook receiver, /metrics and health checks.
package serve
