// Package hostile is a Webex whose every string attacks the terminal, for tests: an httptest
// server on 127.0.0.1 that plants Payload in each field and error, and a check of what is shown.
package hostile
