// Package webexfake is an in-process fake of the Webex REST API (BYODS data sources, schemas,
// webhooks, OAuth and Service App tokens) that behaves like Webex, for tests, --demo and `byova fake serve`.
// What it does where Webex's docs are silent is recorded in docs/webex-fake.md.
package webexfake
