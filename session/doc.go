// Package session ties resolved settings, the token store and the api client together for one
// profile: it chooses the token each call needs, refreshes it and writes the result back.
package session
