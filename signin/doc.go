// Package signin signs a person in to Webex (personal access token, Integration OAuth,
// Service App) and stores what it got; `byova auth login` and the terminal UI's sign-in wizard
// both use it. It holds no terminal code.
package signin
