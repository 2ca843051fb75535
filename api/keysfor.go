package api

import (
	"context"

	"github.com/go-jose/go-jose/v4"
)

// KeysFor is the key set that should hold kid, fetched with c on first use (and once more for
// a kid it lacks): for checks made outside this package, such as a gateway's claim checks.
func (k *KeySet) KeysFor(ctx context.Context, c *Client, kid string) (*jose.JSONWebKeySet, error) {
	return k.keysFor(ctx, c, kid)
}
