// Package gatewayfake is a fake Voice Virtual Agent gateway to drill against: it serves
// VoiceVirtualAgent and grpc.health.v1 over TLS with a certificate it makes, checks Webex's
// JWS as real gateways do (spec §5, §7.1), and fails on command. Used by tests, `byova fake
// agent`, `byova fake serve --agent` and `byova --demo`.
package gatewayfake
