package common

import (
	"context"
	"errors"
	"testing"

	"github.com/byova/byova/config"
	"github.com/byova/byova/session"
)

func TestOrgDisplay(t *testing.T) {
	const acme, other = "63b02f90-9cc6-43b8-aa6d-cad425ac554c", "0d3f1a7e-1111-4222-8333-944455556666"
	sess, err := session.New(config.Settings{Profile: "p", OrgAliases: map[string]string{"acme": acme}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := New(context.Background(), sess, nil, nil, nil)
	if got := c.OrgDisplay(other); got != other {
		t.Errorf("unnamed org shows %q", got)
	}
	if got := c.OrgDisplay(acme); got != "acme" {
		t.Errorf("aliased org shows %q", got)
	}
	c.ApplyOrgName(OrgNameMsg{Org: acme, Name: "Acme\x1b[2J Health\u202e"})
	if got := c.OrgDisplay(acme); got != `acme (Acme\x1b[2J Health\u202e)` {
		t.Errorf("named org shows %q (the name must arrive sanitised)", got)
	}
	c.ApplyOrgName(OrgNameMsg{Org: other, Err: errors.New("403")})
	if got := c.OrgDisplay(other); got != other {
		t.Errorf("an org whose name could not be read shows %q", got)
	}
	c.Org = acme
	if got := c.OrgLabel(); got != `acme (Acme\x1b[2J Health\u202e)` {
		t.Errorf("header label %q", got)
	}
	if c.FetchOrgName(acme) == nil || c.FetchOrgName(acme) != nil {
		t.Error("a name is asked for once per run")
	}
}
