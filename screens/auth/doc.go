// Package auth is the sign-in wizard (Integration OAuth, personal access token, Service App per
// customer org) and the auth & orgs screen: stored tokens, refresh, log out, and the org/profile
// picker. The wizard runs inside the terminal UI, as `byova auth login`, and as plain prompts.
package auth
