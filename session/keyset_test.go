package session_test

import (
	"context"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
	"github.com/byova/byova/session"
)

// The session's key set lives as long as the session (byova serve's prober, an open UI): it
// follows every rotation of Webex's key, not only the first. It fetched once more per
// lifetime, so serve's prober failed every signature after Webex's second rotation.
func TestSessionKeySetFollowsRotations(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	sess, err := session.New(settingsFor(fake), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := sess.KeySet()
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.New(api.Options{BaseURL: fake.URL()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ks.Load(ctx, c); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		kid, err := fake.RotateKey()
		if err != nil {
			t.Fatal(err)
		}
		set, err := ks.KeysFor(ctx, c, kid)
		if err != nil || len(set.Key(kid)) == 0 {
			t.Fatalf("rotation %d: kid %s not found (%v)", i+1, kid, err)
		}
	}
}
