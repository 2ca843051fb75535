package webexfake

import (
	"errors"
	"fmt"
	"time"
)

// org is a Webex customer org (or the developer's own org).
type org struct {
	id, name     string
	authorized   bool // has a Full Admin authorized the Service App here?
	authorizedAt time.Time
	machineID    string // the Service App's machine account in this org (createdBy of its data sources)
	adminID      string // the Full Admin who (de)authorizes the Service App (actorId of events)
}

type person struct {
	id, email, firstName, lastName string
	orgID                          string
	created                        time.Time
}

func (p person) displayName() string { return p.firstName + " " + p.lastName }

// AuthorizeOrg marks orgID (plain UUID or Hydra id) as having authorized the Service App — an
// unknown org is created — and delivers a serviceApp "authorized" event to every active webhook
// that subscribes to it. It returns the delivery errors, joined.
func (s *Server) AuthorizeOrg(orgID string) error {
	id, ok := parseOrgID(orgID)
	if !ok {
		return fmt.Errorf("authorize org %q: not an org UUID or Hydra org id", orgID)
	}
	s.mu.Lock()
	o := s.orgs[id]
	if o == nil {
		o = &org{id: id, name: "Org " + id[:8], machineID: s.rt.uuid(), adminID: s.rt.uuid()}
		s.orgs[id] = o
		s.orgOrder = append(s.orgOrder, id)
	}
	o.authorized = true
	o.authorizedAt = s.now()
	events := s.serviceAppEvents(o, "authorized")
	s.mu.Unlock()
	return s.deliver(events)
}

// DeauthorizeOrg withdraws the Service App's authorization in orgID: its Service App access
// and refresh tokens stop working, the token endpoint answers 403 for it, and a serviceApp
// "deauthorized" event goes to every active webhook that subscribes to it.
func (s *Server) DeauthorizeOrg(orgID string) error {
	id, ok := parseOrgID(orgID)
	if !ok {
		return fmt.Errorf("deauthorize org %q: not an org UUID or Hydra org id", orgID)
	}
	s.mu.Lock()
	o := s.orgs[id]
	if o == nil {
		s.mu.Unlock()
		return errors.New("deauthorize org " + id + ": unknown org")
	}
	o.authorized = false
	s.revokeOrgTokens(id)
	events := s.serviceAppEvents(o, "deauthorized")
	s.mu.Unlock()
	return s.deliver(events)
}
