// Package metrics holds byova serve's Prometheus metrics in a registry of their own: data source
// and stored token expiries, the keeper's runs, Webex calls by templated route, SSH sessions.
package metrics
