package common

import "errors"

// ErrUnexpected is what a request that panicked reports: a malformed answer the client did
// not expect must never crash the UI under the person.
var ErrUnexpected = errors.New("byova could not handle Webex's answer (please report it): unexpected data")

// Safely runs one request's work in a command and turns a panic into ErrUnexpected. Every
// screen's commands recover through it.
func Safely(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = ErrUnexpected
		}
	}()
	return fn()
}
