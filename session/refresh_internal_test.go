package session

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/byova/byova/api"
	"github.com/byova/byova/config"
)

// TestStoredMeanwhileWins: while this process is getting a new token, another stores one (a
// sign-in) or removes it (a logout). The write that follows re-reads the store: a newer token
// is kept and used, a removed one stays removed.
func TestStoredMeanwhileWins(t *testing.T) {
	const org = "63b02f90-9cc6-43b8-aa6d-cad425ac554c"
	k := slot{kind: config.KindServiceApp, org: org}
	for _, tc := range []struct {
		name      string
		meanwhile func(ps *config.ProfileSecrets)
		wantUsed  string
		wantStore string // "" = no entry
	}{
		{"nothing", func(*config.ProfileSecrets) {}, "ours", "ours"},
		{"signed in", func(ps *config.ProfileSecrets) {
			ps.Orgs[org] = &config.Token{Kind: config.KindServiceApp, AccessToken: "theirs", Expiry: time.Now().Add(time.Hour)}
		}, "theirs", "theirs"},
		{"logged out", func(ps *config.ProfileSecrets) { delete(ps.Orgs, org) }, "ours", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := config.NewStore(filepath.Join(t.TempDir(), "tokens.json"))
			_ = store.Update(func(tk *config.Tokens) error {
				tk.Profile("default").Orgs[org] = &config.Token{Kind: config.KindServiceApp, AccessToken: "old", RefreshToken: "r"}
				return nil
			})
			s := &Session{Settings: config.Settings{Profile: "default"}, Store: store, Log: slog.New(slog.DiscardHandler)}
			inner := func(ctx context.Context, cur api.Token) (api.Token, error) {
				if err := store.Update(func(tk *config.Tokens) error { tc.meanwhile(tk.Profile("default")); return nil }); err != nil {
					t.Errorf("another writer during the grant: %v", err)
				}
				return api.Token{AccessToken: "ours", Expiry: time.Now().Add(time.Hour)}, nil
			}
			got, err := s.persisted(k, "client", inner)(context.Background(), api.Token{AccessToken: "old", RefreshToken: "r"})
			if err != nil {
				t.Fatal(err)
			}
			toks, _ := store.Load()
			stored := ""
			if st := toks.Profiles["default"].Orgs[org]; st != nil {
				stored = st.AccessToken
			}
			if got.AccessToken != tc.wantUsed || stored != tc.wantStore {
				t.Errorf("used %q, stored %q; want %q, %q", got.AccessToken, stored, tc.wantUsed, tc.wantStore)
			}
		})
	}
}
