package fleet

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/byova/byova/api"
	"github.com/byova/byova/api/webexfake"
)

// Each webhook write is audited once, with fleet's op name, the caller's (empty) org, the
// webhook's id and the write's trackingId; a refused one with its error.
func TestWebhooksAuditEachWriteOnce(t *testing.T) {
	fake := webexfake.New(webexfake.Options{Seed: 1})
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fake.Close() })
	c, err := api.New(api.Options{BaseURL: fake.URL(), Token: api.StaticToken{Value: fake.Creds().PersonalAccessToken}})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	w := Webhooks{Client: c, Audit: func(org, op, id, tid string, err error) error {
		lines = append(lines, fmt.Sprintf("%q %s %s tid=%v err=%v", org, op, id, tid != "", err != nil))
		return nil
	}}
	ctx := context.Background()
	wh, tid, err := w.Create(ctx, api.WebhookCreate{Name: "r", TargetURL: "https://r.example.com/hook", Resource: "messages", Event: "created"})
	if err != nil || wh == nil || tid == "" {
		t.Fatalf("create: %v %v %q", wh, err, tid)
	}
	if _, _, err := w.Update(ctx, wh.ID, api.WebhookUpdate{Name: "r2", TargetURL: wh.TargetURL}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Delete(ctx, wh.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Delete(ctx, wh.ID); err == nil {
		t.Fatal("a second delete of the same webhook succeeded")
	}
	want := []string{
		`"" webhooks.create ` + wh.ID + ` tid=true err=false`,
		`"" webhooks.update ` + wh.ID + ` tid=true err=false`,
		`"" webhooks.delete ` + wh.ID + ` tid=true err=false`,
		`"" webhooks.delete ` + wh.ID + ` tid=true err=true`,
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("audit:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// An ensure's writes are audited as the creates and updates they were; a failed ensure as the
// ensure.
func TestWebhooksEnsureAudit(t *testing.T) {
	var lines []string
	w := Webhooks{Audit: func(org, op, id, tid string, err error) error {
		lines = append(lines, fmt.Sprintf("%q %s %s %q err=%v", org, op, id, tid, err != nil))
		return nil
	}}
	w.Ensured(nil)
	w.Ensured(&api.EnsureResult{Created: []api.Webhook{{ID: "c"}}, Reactivated: []api.Webhook{{ID: "r"}}, Rotated: []api.Webhook{{ID: "s"}},
		Existing: []api.Webhook{{ID: "e"}}})
	w.EnsureFailed(fmt.Errorf("refused"))
	// A secret that differs from the pair's is refused before any write: the CLI and the UI
	// both leave it out of the log (the UI once logged it).
	w.EnsureFailed(fmt.Errorf("ensure: %w", &api.SecretMismatchError{}))
	want := `"" webhooks.create c "" err=false
"" webhooks.update r "" err=false
"" webhooks.update s "" err=false
"" webhooks.ensure  "" err=true`
	if got := strings.Join(lines, "\n"); got != want {
		t.Errorf("audit:\n%s\nwant:\n%s", got, want)
	}
}
