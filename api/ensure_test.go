package api

import (
	"errors"
	"testing"
)

// PlanEnsure is the one decision ensure makes (and the UI's confirmation shows): for each event
// of the pair, what is done, and which secret the pair ends with.
func TestPlanEnsure(t *testing.T) {
	const target = "https://r.example.com/events"
	hook := func(id, event, status, secret string) Webhook {
		return Webhook{ID: id, Resource: ResourceServiceApp, Event: event, TargetURL: target, Status: status, Secret: secret}
	}
	auth := hook("A", EventAuthorized, "active", "s1")
	deauthOff := hook("D", EventDeauthorized, "inactive", "s1")
	deauthOther := hook("D2", EventDeauthorized, "active", "s2")
	elsewhere := Webhook{ID: "E", Resource: ResourceServiceApp, Event: EventDeauthorized, TargetURL: "https://other.example.com", Status: "active"}
	cases := []struct {
		name       string
		all        []Webhook
		opt        EnsureOptions
		steps      [2]EnsureStep
		secret     string
		reusedFrom string
		mismatch   bool
	}{
		{"nothing there", nil, EnsureOptions{Secret: "new"}, [2]EnsureStep{EnsureCreate, EnsureCreate}, "new", "", false},
		{"another target is not the pair's", []Webhook{elsewhere}, EnsureOptions{}, [2]EnsureStep{EnsureCreate, EnsureCreate}, "", "", false},
		{"no secret: the existing one's is reused", []Webhook{auth}, EnsureOptions{}, [2]EnsureStep{EnsureKeep, EnsureCreate}, "s1", "A", false},
		{"an inactive one is re-activated on the shared secret", []Webhook{auth, deauthOff}, EnsureOptions{}, [2]EnsureStep{EnsureKeep, EnsureReactivate}, "s1", "A", false},
		{"both in place: nothing to write", []Webhook{auth, hook("D", EventDeauthorized, "", "s1")}, EnsureOptions{}, [2]EnsureStep{EnsureKeep, EnsureKeep}, "s1", "", false},
		{"two secrets and none given", []Webhook{auth, deauthOther}, EnsureOptions{}, [2]EnsureStep{EnsureKeep, EnsureKeep}, "", "", true},
		{"a secret that differs, no rotation", []Webhook{auth}, EnsureOptions{Secret: "s9"}, [2]EnsureStep{EnsureRotate, EnsureCreate}, "s9", "", true},
		{"a secret that differs, rotated", []Webhook{auth, deauthOther}, EnsureOptions{Secret: "s2", RotateSecret: true}, [2]EnsureStep{EnsureRotate, EnsureKeep}, "s2", "", false},
		{"a fresh secret differs from every one", []Webhook{auth, deauthOff}, EnsureOptions{Fresh: true, RotateSecret: true}, [2]EnsureStep{EnsureRotate, EnsureReactivate}, "", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := PlanEnsure(c.all, target, c.opt)
			var mis *SecretMismatchError
			if got := errors.As(err, &mis); got != c.mismatch {
				t.Fatalf("mismatch %v (%v), want %v", got, err, c.mismatch)
			}
			if p == nil || p.Step != c.steps || p.Secret != c.secret {
				t.Fatalf("plan %+v, want steps %v secret %q", p, c.steps, c.secret)
			}
			got := ""
			if p.ReusedFrom != nil {
				got = p.ReusedFrom.ID
			}
			if got != c.reusedFrom {
				t.Fatalf("reused from %q, want %q", got, c.reusedFrom)
			}
		})
	}
}
