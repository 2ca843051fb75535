// Package gateway plays Webex's side of the Voice Virtual Agent wire (shared/spec/
// voice-virtual-agent.md) against a vendor's gateway: probe it step by step, place a test call.
// It has no terminal imports; text a gateway sent is sanitised before it is handed out.
package gateway
