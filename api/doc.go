// Package api is byova's Webex REST client: one Client over a base URL, typed models, errors,
// paging, retries, OAuth grants and token sources. It has no terminal imports and works on its own.
package api
