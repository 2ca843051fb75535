package webexfake

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// org is a Webex customer org (or the developer's own org).
type org struct {
	id, name     string
	authorized   bool // has a Full Admin authorized the Service App here?
	authorizedAt time.Time
	created      time.Time // when the fake first knew the org; a re-authorization keeps it
	machineID    string    // the Service App's machine account in this org (createdBy of its data sources)
	adminID      string    // the Full Admin who (de)authorizes the Service App (actorId of events)
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
		o = &org{id: id, name: "Org " + id[:8], created: s.now(), machineID: s.rt.uuid(), adminID: s.rt.uuid()}
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

type organizationView struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Created     string `json:"created"`
}

// getOrganization is Webex's "Get Organization Details": the org's Hydra id, displayName and
// created. It needs spark-admin:organizations_read; a Service App token reads only the org it
// was issued for (another org is 403, as for an admin of one org asking about another).
func (s *Server) getOrganization(w http.ResponseWriter, r *http.Request, orgID string) {
	g, e := s.authenticate(r)
	if e != nil {
		writeError(w, e)
		return
	}
	if e := requireScope(g, ScopeOrganizationsRead); e != nil {
		writeError(w, e)
		return
	}
	id, ok := parseOrgID(orgID)
	if !ok {
		writeError(w, errNotFound())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgs[id]
	if o == nil {
		writeError(w, errNotFound())
		return
	}
	if g.kind == kindServiceApp && g.orgID != id {
		writeError(w, newError(http.StatusForbidden, msgForbidden, "This token may not read organization "+orgID+"."))
		return
	}
	writeJSON(w, http.StatusOK, organizationView{ID: HydraID("ORGANIZATION", o.id), DisplayName: o.name, Created: isoTime(o.created)})
}

// SetOrgName renames an org (tests: a name Webex sends may be hostile or change).
func (s *Server) SetOrgName(orgID, name string) error {
	id, ok := parseOrgID(orgID)
	if !ok {
		return fmt.Errorf("rename org %q: not an org UUID or Hydra org id", orgID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgs[id]
	if o == nil {
		return errors.New("rename org " + id + ": unknown org")
	}
	o.name = name
	return nil
}

// OrgName is the displayName the fake gives an org (plain UUID or Hydra id); "" if unknown.
func (s *Server) OrgName(orgID string) string {
	id, ok := parseOrgID(orgID)
	if !ok {
		return ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orgs[id]; o != nil {
		return o.name
	}
	return ""
}
