// Package receiver handles Webex serviceApp webhook deliveries: it verifies their signature and
// stores (authorized) or drops (deauthorized) the customer org's Service App tokens.
package receiver
